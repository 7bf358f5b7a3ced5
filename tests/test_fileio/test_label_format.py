"""The label formats are one table: each reader declares its sources and options, and the
importer's command line offers every option as its flag."""
import inspect
import os.path as osp
import sys

import pytest

from mmpose_animal.fileio.labels import FORMATS, LABEL_FORMATS, find_format
from ..conftest import ROOT


def test_each_format_declares_the_options_its_reader_takes():
    assert FORMATS == ('dlc', 'lp', 'slp', 'deepposekit', 'coco')
    sys.path.insert(0, osp.join(ROOT, 'tools', 'dataset_converters'))
    try:
        from import_labels import parse_args
    finally:
        sys.path.pop(0)
    for label_format in LABEL_FORMATS:
        parameters = list(inspect.signature(label_format.read).parameters)[1:]
        declared = [option.name for option in label_format.options]
        assert set(declared) <= set(parameters), label_format.name
        for option in label_format.options:
            value = [] if option.is_flag else ['x', 'y'] if option.nargs == '+' else ['x']
            args = parse_args(['source', '--out', 'out', option.flag, *value])
            expected = True if option.is_flag else value if option.nargs == '+' else 'x'
            assert getattr(args, option.name) == expected


@pytest.mark.parametrize('name, marker, expected', [
    ('labels.v001.pkg.slp', None, 'slp'), ('labels.SLP', None, 'slp'),
    ('annotations.h5', None, 'deepposekit'), ('fly.hdf5', None, 'deepposekit'),
    ('coco.json', None, 'coco'), ('project', 'config.yaml', 'dlc'),
    ('lp_project', 'CollectedData.csv', 'lp'), ('lp_views', 'CollectedData_top.csv', 'lp')])
def test_sources_are_recognised_by_their_format(tmp_path, name, marker, expected):
    path = tmp_path / name
    if marker:
        path.mkdir()
        (path / marker).write_text('')
    else:
        path.write_text('')
    assert find_format(str(path)).name == expected


def test_a_folder_of_no_known_project_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'no project file found; expected config.yaml '
                       r'\(a DeepLabCut .*\) or CollectedData\*.csv \(a Lightning Pose'):
        find_format(str(tmp_path))
    with pytest.raises(ValueError, match='notes.txt: unknown label source; expected one of'):
        (tmp_path / 'notes.txt').write_text('')
        find_format(str(tmp_path / 'notes.txt'))
