"""One recipe: the packaged base's pipelines are what recipe.py builds, and a generated
config's pipelines differ from the base's only in what the config states."""
import pytest
from mmengine.config import Config

from mmpose_animal.data_tools.config_writer import BASE_CONFIG, make_config
from mmpose_animal.data_tools.recipe import evaluation_pipeline, training_pipeline
from mmpose_animal.fileio.labels import read_labels, write_dataset
from ..test_fileio.label_sources import write_dlc_project


def _plain(value):
    """A config value without mmengine's ``_scope_`` keys and ConfigDicts (lists stay)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != '_scope_'}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


@pytest.fixture(scope='module')
def base() -> Config:
    return Config.fromfile(Config._get_cfg_path(BASE_CONFIG, '')[0])


def test_the_base_holds_what_the_recipe_builds(base):
    assert _plain(base.train_pipeline) == training_pipeline(_plain(base.codec), rotate=180.0)
    assert _plain(base.val_pipeline) == evaluation_pipeline(_plain(base.codec))
    assert _plain(base.train_dataloader.dataset.pipeline) == _plain(base.train_pipeline)


# what a generated config may change in each transform of the base's pipelines
STATED = {'TopdownAffine': {'input_size', 'use_udp'}, 'GenerateTarget': {'encoder'},
          'RandomBBoxTransform': {'rotate_factor'}, 'GetBBoxCenterScale': {'padding'},
          'PackPoseInputs': {'meta_keys'}}
# transforms a generated config may add (crops) or drop (flipping without flip pairs)
ADDED = {'KeypointBBox', 'KeepOriginalImage', 'AbsentKeypointWeights'}
DROPPED = {'RandomFlip'}


@pytest.mark.parametrize('kwargs', [dict(crop='off'), dict(crop='on'),
                                    dict(crop='off', codec='MSRA', rotate=45.0),
                                    dict(crop='on', absent_weight=1.0)])
def test_generated_pipelines_differ_from_the_base_only_where_stated(base, tmp_path, kwargs):
    data = str(tmp_path / 'data')
    write_dataset(read_labels(write_dlc_project(str(tmp_path / 'proj'))), data)
    path = tmp_path / 'gen.py'
    path.write_text(make_config(data, **kwargs))
    cfg = Config.fromfile(str(path))
    for name in ('train_pipeline', 'val_pipeline'):
        ours = [t for t in _plain(cfg[name]) if t['type'] not in ADDED]
        theirs = [t for t in _plain(base[name]) if t['type'] not in DROPPED
                  or t['type'] in [o['type'] for o in ours]]
        assert [t['type'] for t in ours] == [t['type'] for t in theirs], name
        for mine, original in zip(ours, theirs):
            changed = {k for k in mine.keys() | original.keys()
                       if mine.get(k) != original.get(k)}
            assert changed <= STATED.get(mine['type'], set()), (mine['type'], changed)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        expected = cfg.train_pipeline if loader == 'train_dataloader' else cfg.val_pipeline
        assert _plain(cfg[loader].dataset.pipeline) == _plain(expected)
