"""Evaluate a checkpoint: PCK, AUC, EPE and pixel-distance statistics.

    python tools/test.py configs/unet_fly17.py work_dirs/unet_fly17/best_EPE_epoch_60.pth \
        --out metrics.json --dump predictions.json --show-dir overlays/
"""
import argparse
import json
import numbers
import os
import os.path as osp
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from mmengine.config import DictAction
from mmengine.dist import is_main_process
from mmengine.runner import Runner

from mmpose_animal.cli import (default_work_dir, ensure_plain_checkpoints, load_config,
                               without_hooks)
from mmpose_animal.engine import CheckpointLoadError, finish_distributed, setup_distributed
from mmpose_animal.engine.distributed import LAUNCHERS
from mmpose_animal.utils.quiet_logs import quiet_runner_logs


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test a pose model')
    parser.add_argument('config', help='config file')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='folder for logs (default: work_dirs/<config name>)')
    parser.add_argument('--out', metavar='metrics.json', help='write the metrics to this JSON')
    parser.add_argument('--dump', metavar='predictions.json',
                        help='write every prediction and its ground truth to this JSON')
    parser.add_argument('--show-dir', metavar='DIR', help='write overlays of prediction vs '
                        'ground truth, with the heatmap, to DIR')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='KEY=VALUE', help='override config keys that exist')
    parser.add_argument('--launcher', choices=LAUNCHERS, default='none',
                        help='none (one process), pytorch (torchrun) or slurm (srun)')
    return parser.parse_args(argv)


def format_table(metrics: dict) -> str:
    """Two-column text table of the metrics, in the order they were computed."""
    width = max(len(name) for name in metrics)
    rows = [f'{name:<{width}}  {value:.4f}' if isinstance(value, float)
            else f'{name:<{width}}  {value}' for name, value in metrics.items()]
    rule = '-' * (width + 12)
    return '\n'.join([rule, f'{"metric":<{width}}  value', rule, *rows, rule])


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.cfg_options)
        if not osp.isfile(args.checkpoint):
            raise FileNotFoundError(f'checkpoint {args.checkpoint} does not exist')
    except (FileNotFoundError, KeyError) as error:
        sys.exit(f'test.py: error: {error.args[0] if isinstance(error, KeyError) else error}')
    cfg.work_dir = args.work_dir or cfg.get('work_dir') or default_work_dir(args.config)
    cfg.load_from = None  # loaded below with strict=True: a wrong checkpoint is an error
    # a weight-averaged training saved the average as the checkpoint's weights: test those
    without_hooks(cfg, 'EMAHook')
    if args.dump:
        cfg.test_evaluator = list(cfg.test_evaluator) if isinstance(
            cfg.test_evaluator, (list, tuple)) else [cfg.test_evaluator]
        cfg.test_evaluator.append(dict(type='KeypointPredictionDump', out_file=args.dump))
    if args.show_dir:
        cfg.model.setdefault('test_cfg', {})['output_heatmaps'] = True
        cfg.custom_hooks = list(cfg.get('custom_hooks') or []) + [
            dict(type='PoseOverlayHook', out_dir=args.show_dir)]
    ensure_plain_checkpoints(cfg)
    setup_distributed(cfg, args.launcher)

    runner = Runner.from_cfg(cfg)
    quiet_runner_logs(runner.logger)
    try:
        runner.load_checkpoint(args.checkpoint, map_location='cpu', strict=True)
    except CheckpointLoadError as error:  # corrupt or unsafe: refused, nothing executed
        sys.exit(f'test.py: error: {error}')
    except RuntimeError as error:
        sys.exit(f'test.py: error: {args.checkpoint} does not fit the model of '
                 f'{args.config}:\n{error}')
    metrics = {name: float(value) if isinstance(value, numbers.Real) else value
               for name, value in runner.test().items()}
    if is_main_process():
        print(format_table(metrics))
        if args.out:
            if osp.dirname(args.out):
                os.makedirs(osp.dirname(args.out), exist_ok=True)
            with open(args.out, 'w') as file:
                json.dump(metrics, file, indent=2)
            print(f'metrics written to {args.out}')
    finish_distributed()


if __name__ == '__main__':
    main()
