"""The label formats are one table: each reader declares its sources and options."""
import inspect

import pytest

from mmpose_animal.data_tools.label_import import FORMATS, LABEL_FORMATS, find_format


def test_each_format_declares_the_options_its_reader_takes():
    assert FORMATS == ('dlc', 'slp', 'deepposekit', 'coco')
    for label_format in LABEL_FORMATS:
        parameters = list(inspect.signature(label_format.read).parameters)[1:]
        declared = [option.name for option in label_format.options]
        assert set(declared) <= set(parameters), label_format.name
        assert all(option.flag.startswith('--') for option in label_format.options)


@pytest.mark.parametrize('name, expected', [
    ('labels.v001.pkg.slp', 'slp'), ('labels.SLP', 'slp'), ('annotations.h5', 'deepposekit'),
    ('fly.hdf5', 'deepposekit'), ('coco.json', 'coco'), ('project', 'dlc')])
def test_sources_are_recognised_by_their_format(tmp_path, name, expected):
    path = tmp_path / name
    path.mkdir() if expected == 'dlc' else path.write_text('')
    assert find_format(str(path)).name == expected
