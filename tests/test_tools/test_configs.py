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


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_config_builds_and_runs_one_loss_step(path, fly17_root, petnose_root, mpii_root):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports.imports == ['mmpose_animal']
    assert cfg.default_scope == 'mmpose'
    assert cfg.default_hooks.plain_checkpoint.type == 'PlainCheckpointHook'
    roots = dict(fly17dataset=fly17_root, petnosedataset=petnose_root, mpiidataset=mpii_root)
    root = roots[cfg.train_dataloader.dataset.type.lower()]
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=root))
    model = MODELS.build(cfg.model)  # no pretrained weights: nothing to download
    model.init_weights()
    batch = model.data_preprocessor(pseudo_collate([dataset[0], dataset[1]]), training=True)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_kpt']) and losses['loss_kpt'] > 0
    losses['loss_kpt'].backward()


def generated_config(tmp_path) -> str:
    """A make_config config over a tiny imported dataset (24 training frames)."""
    from mmpose_animal.data_tools.config_writer import make_config
    from mmpose_animal.fileio.labels import read_labels, write_dataset
    from ..test_fileio.label_sources import write_dlc_project
    src = write_dlc_project(str(tmp_path / 'proj'), videos={'v1': 10, 'v2': 10, 'v3': 10})
    write_dataset(read_labels(src), str(tmp_path / 'data'))
    path = str(tmp_path / 'generated.py')
    with open(path, 'w') as file:
        file.write(make_config(str(tmp_path / 'data'), path, batch_size=8))
    return path


def lr_curve(cfg: Config, iters_per_epoch: int, epochs: int = 2) -> list:
    """The lr each training iteration starts with, as mmengine's runner steps the config's
    schedulers (``convert_to_iter_based`` ones per iteration)."""
    from mmengine.registry import PARAM_SCHEDULERS
    optimizer = torch.optim.Adam(torch.nn.Linear(2, 2).parameters(),
                                 lr=cfg.optim_wrapper.optimizer.lr)
    per_iter, per_epoch = [], []
    for scheduler in cfg.param_scheduler:
        scheduler = dict(scheduler)
        scheduler.pop('_scope_', None)  # the scope of a config inherited through its package
        kind = PARAM_SCHEDULERS.get(scheduler.pop('type'))
        if scheduler.pop('convert_to_iter_based', False):
            per_iter.append(kind.build_iter_from_epoch(optimizer, **scheduler,
                                                       epoch_length=iters_per_epoch))
        else:
            (per_epoch if scheduler.get('by_epoch', True) else per_iter).append(
                kind(optimizer, **scheduler))
    lrs = []
    for _ in range(epochs):
        for _ in range(iters_per_epoch):
            lrs.append(optimizer.param_groups[0]['lr'])
            optimizer.step()
            for scheduler in per_iter:
                scheduler.step()
        for scheduler in per_epoch:
            scheduler.step()
    return lrs + [optimizer.param_groups[0]['lr']]


@pytest.mark.parametrize('name', [osp.basename(p) for p in CONFIGS] + ['generated'])
def test_warm_up_ends_within_the_first_epoch_of_a_tiny_dataset(name, tmp_path):
    """3 iterations per epoch: epoch 2 starts at the peak lr."""
    path = generated_config(tmp_path) if name == 'generated' else osp.join(ROOT, 'configs', name)
    cfg = Config.fromfile(path)
    lrs = lr_curve(cfg, iters_per_epoch=3)
    assert lrs[0] <= lrs[3]  # a warm-up, or a constant lr
    assert lrs[3] >= 0.95 * cfg.optim_wrapper.optimizer.lr, lrs


@pytest.mark.parametrize('name', [osp.basename(p) for p in CONFIGS] + ['generated'])
def test_model_selection_never_reads_the_test_annotations(name, tmp_path):
    path = generated_config(tmp_path) if name == 'generated' else osp.join(ROOT, 'configs', name)
    cfg = Config.fromfile(path)
    val, test = cfg.val_dataloader.dataset, cfg.test_dataloader.dataset
    selects = (cfg.default_hooks.checkpoint.get('save_best') is not None
               or cfg.default_hooks.get('early_stopping') is not None)
    if not selects:  # validation only watches (MPII: no public test labels)
        assert val.ann_file == test.ann_file and 'test' not in cfg.train_dataloader.dataset.ann_file
        return
    assert (val.ann_file, val.get('subset')) != (test.ann_file, test.get('subset'))
    assert val.ann_file != test.ann_file or val.get('subset') == 'val'
    for split in ('train_dataloader', 'val_dataloader'):
        assert 'test' not in cfg[split].dataset.ann_file


@pytest.mark.parametrize('config', ['unet_mobilenetv2_fly17.py', 'unet_mobilenetv2_petnose.py'])
def test_mobilenetv2_configs_take_an_mmpretrain_checkpoint_through_init_cfg(config, tmp_path):
    """The configs' documented opt-in: init_cfg Pretrained with prefix ``backbone.`` picks the
    encoder out of a classifier checkpoint (backbone + neck + head, numpy-free)."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmpose')
    cfg = Config.fromfile(osp.join(ROOT, 'configs', config))
    classifier = MODELS.build(dict(cfg.model.backbone, out_indices=(7, )))
    state = {f'backbone.{k}': v for k, v in classifier.state_dict().items()}
    state['head.fc.weight'] = torch.rand(1000, 1280)
    path = str(tmp_path / 'mobilenet_v2_imagenet.pth')
    torch.save(dict(meta=dict(epoch=300), state_dict=state), path)
    cfg.model.backbone.init_cfg = dict(type='Pretrained', prefix='backbone.', checkpoint=path)
    model = MODELS.build(cfg.model)
    model.init_weights()
    for key, value in classifier.state_dict().items():
        assert torch.equal(model.backbone.state_dict()[key], value), key
