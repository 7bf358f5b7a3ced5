"""Train a pose model from an mmpose-animal (or any mmpose) config.

    python tools/train.py configs/unet_fly17.py [--work-dir DIR] [--resume [CKPT]]
    tools/dist_train.sh configs/unet_fly17.py 8          # torchrun, nccl on GPUs, gloo on CPUs
"""
import argparse
import os.path as osp
import sys
import time
from typing import Optional

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
import torch
from mmengine.config import DictAction
from mmengine.runner import Runner

from mmpose_animal.cli import (default_work_dir, ensure_plain_checkpoints, load_config,
                               use_atomic_checkpoints)
from mmpose_animal.engine import (finish_distributed, latest_checkpoint, remove_partial_files,
                                  setup_distributed)
from mmpose_animal.engine.distributed import LAUNCHERS
from mmpose_animal.utils.quiet_logs import quiet_runner_logs


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='config file')
    parser.add_argument('--work-dir', help='folder for logs and checkpoints '
                        '(default: work_dirs/<config name>)')
    parser.add_argument('--resume', nargs='?', const='auto', metavar='CKPT',
                        help='resume from CKPT, or, without CKPT, from the latest checkpoint '
                        'in the work dir')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision (needs a GPU)')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the lr by (total batch size / auto_scale_lr.base_batch_size)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='KEY=VALUE', help='override config keys that exist, e.g. '
                        'train_cfg.max_epochs=5')
    parser.add_argument('--launcher', choices=LAUNCHERS, default='none',
                        help='none (one process), pytorch (torchrun) or slurm (srun)')
    return parser.parse_args(argv)


def find_resume_checkpoint(work_dir: str) -> Optional[str]:
    """The newest whole checkpoint of ``work_dir`` (after a crash or kill -9), or None."""
    for path in remove_partial_files(work_dir) if osp.isdir(work_dir) else []:
        print(f'train.py: removed {path}, a checkpoint write the last run did not finish')
    checkpoint = latest_checkpoint(work_dir) if osp.isdir(work_dir) else None
    print(f'train.py: resuming from {checkpoint}' if checkpoint else
          f'train.py: no checkpoint to resume in {work_dir}; training from the start')
    return checkpoint


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or default_work_dir(args.config)
    if args.amp:
        if not torch.cuda.is_available():
            sys.exit('--amp needs a CUDA GPU; none is available here')
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        resume_from = find_resume_checkpoint(cfg.work_dir)
        cfg.resume, cfg.load_from = resume_from is not None, resume_from
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    ensure_plain_checkpoints(cfg)
    use_atomic_checkpoints(cfg)
    setup_distributed(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    quiet_runner_logs(runner.logger)
    start = time.perf_counter()
    runner.train()
    if runner.rank == 0:
        print(f'train.py: trained {runner.epoch} epochs ({runner.iter} iterations) in '
              f'{(time.perf_counter() - start) / 60:.1f} minutes; weights in {cfg.work_dir}')
    finish_distributed()


if __name__ == '__main__':
    main()
