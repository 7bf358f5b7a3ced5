"""The human-pose config: UNet head on mmpose's MpiiDataset, trained and tested (PCKh)."""
import os.path as osp

from mmengine.config import Config
from mmengine.runner import Runner

from ..conftest import ROOT


def test_mpii_config_trains_a_step_and_reports_pckh(mpii_root, tmp_path):
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'unet_res50_mpii.py'))
    headbox = osp.join(mpii_root, 'annotations', 'mpii_gt_val.mat')
    for split in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[split].update(batch_size=2, num_workers=0, persistent_workers=False)
        cfg[split].dataset.data_root = mpii_root
    for split in ('val_dataloader', 'test_dataloader'):
        cfg[split].dataset.headbox_file = headbox
    cfg.merge_from_dict(dict(work_dir=str(tmp_path), train_cfg=dict(max_epochs=1),
                             default_hooks=dict(logger=dict(interval=1))))
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter == 1  # 2 training images, batch 2
    metrics = runner.test()
    # MpiiPCKAccuracy: PCKh (normalized by the head boxes of mpii_gt_val.mat) per joint group
    assert set(metrics) >= {'PCK', 'PCK@0.1', 'Head PCK', 'Ankle PCK'}
    assert 0.0 <= metrics['PCK@0.1'] <= metrics['PCK'] <= 100.0
