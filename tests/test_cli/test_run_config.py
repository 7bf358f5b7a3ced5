import pytest
from mmengine.config import Config

from mmpose_animal.cli import (check_cfg_options, ensure_plain_checkpoints, load_config,
                               without_hooks)

CFG = dict(train_cfg=dict(max_epochs=3, val_interval=1),
           model=dict(head=dict(in_channels=8)),
           train_pipeline=[dict(type='LoadImage'), dict(type='RandomFlip')])


@pytest.mark.parametrize('key', ['train_cfg.max_epochs', 'train_pipeline.1.type',
                                 'model.head.final_activation', 'randomness.seed',
                                 'model.head.init_cfg.type'])
def test_existing_keys_new_arguments_and_runner_keys_pass(key):
    check_cfg_options(Config(CFG), {key: 1})


@pytest.mark.parametrize('key,message', [
    ('train_cfg.max_epoch', r"'max_epoch' is not in train_cfg of the config; did you mean "
                            r"\['max_epochs'\]"),
    ('trian_cfg.max_epochs', r"'trian_cfg' is neither in the config nor a Runner argument; "
                             r"did you mean \['train_cfg'\]"),
    ('train_pipeline.5.type', r'train_pipeline is a list of 2 items; .5. is not an index'),
])
def test_typos_are_refused_with_close_matches(key, message):
    with pytest.raises(KeyError, match=message):
        check_cfg_options(Config(CFG), {key: 1})


def test_load_config_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'config file .*nope.py does not exist'):
        load_config(str(tmp_path / 'nope.py'))
    path = tmp_path / 'c.py'
    path.write_text('train_cfg = dict(max_epochs=3)\n')
    assert load_config(str(path), {'train_cfg.max_epochs': 5}).train_cfg.max_epochs == 5


def test_plain_checkpoint_hook_is_added_once():
    cfg = Config(dict(custom_hooks=[dict(type='EMAHook')], default_hooks=dict(logger=None)))
    ensure_plain_checkpoints(cfg)
    ensure_plain_checkpoints(cfg)
    assert [h['type'] for h in cfg.custom_hooks] == ['EMAHook']
    assert cfg.default_hooks == dict(logger=None,
                                     plain_checkpoint=dict(type='PlainCheckpointHook'))


def test_plain_checkpoint_hook_as_custom_hook_is_kept():
    cfg = Config(dict(custom_hooks=[dict(type='PlainCheckpointHook')]))
    ensure_plain_checkpoints(cfg)
    assert 'plain_checkpoint' not in cfg.get('default_hooks', {})


def test_without_hooks_drops_default_and_custom_hooks_of_the_types_only():
    cfg = Config(dict(
        default_hooks=dict(logger=dict(type='LoggerHook'), disabled=None,
                           early_stopping=dict(type='EarlyStoppingHook', monitor='EPE')),
        custom_hooks=[dict(type='EMAHook'), dict(type='FreezeBackboneHook', epochs=2)]))
    without_hooks(cfg, 'EMAHook', 'EarlyStoppingHook')
    assert cfg.default_hooks == dict(logger=dict(type='LoggerHook'), disabled=None)
    assert cfg.custom_hooks == [dict(type='FreezeBackboneHook', epochs=2)]
    without_hooks(Config(dict()), 'EMAHook')  # a config without hooks is fine
