"""Every config builds and runs one training step (mode='loss') on generated data."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from mmpose.registry import DATASETS, MODELS
from ..conftest import ROOT

CONFIGS = sorted(p for p in glob.glob(osp.join(ROOT, 'configs', '*.py')))


def test_every_config_is_listed():
    names = {osp.basename(p) for p in CONFIGS}
    assert {'unet_fly17.py', 'unet_fly17_quickstart.py', 'unet_petnose.py',
            'petnose_resnet18_upsample.py', 'simplebaseline_res18_fly17.py'} <= names


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_builds_and_runs_one_loss_step(path, fly17_root, petnose_root):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports.imports == ['mmpose_animal']
    assert cfg.default_scope == 'mmpose'
    assert any(h['type'] == 'PlainCheckpointHook' for h in cfg.custom_hooks)
    root = fly17_root if 'fly' in cfg.train_dataloader.dataset.type.lower() else petnose_root
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=root))
    model = MODELS.build(cfg.model)  # no pretrained weights: nothing to download
    model.init_weights()
    batch = model.data_preprocessor(pseudo_collate([dataset[0], dataset[1]]), training=True)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_kpt']) and losses['loss_kpt'] > 0
    losses['loss_kpt'].backward()
