"""Train a pose model from an mmpose-animal (or any mmpose) config.

    python tools/train.py configs/unet_fly17.py [--work-dir DIR] [--resume [CKPT]]
    tools/dist_train.sh configs/unet_fly17.py 8          # torchrun, nccl on GPUs, gloo on CPUs
"""
import argparse
import sys

import torch
from mmengine.config import DictAction
from mmengine.runner import Runner

from mmpose_animal.engine import (default_work_dir, ensure_plain_checkpoints, load_config,
                                  setup_distributed)
from mmpose_animal.engine.distributed import LAUNCHERS


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
    if args.resume is not None:
        cfg.resume = True
        cfg.load_from = None if args.resume == 'auto' else args.resume
    ensure_plain_checkpoints(cfg)
    setup_distributed(cfg, args.launcher)
    Runner.from_cfg(cfg).train()


if __name__ == '__main__':
    main()
