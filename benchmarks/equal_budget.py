"""Train configs for an equal wall-clock budget and test them: shared by the accuracy benches."""
import argparse
import os.path as osp
import time
from typing import Dict, List

from mmengine.config import Config
from mmengine.runner import Runner

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# short enough for the slowest model to finish warming up well inside a 10-minute budget
WARMUP_ITERS = 50


def parse_args(description: str, dataset: str) -> argparse.Namespace:
    """``--budget`` (seconds per model), ``--data-root`` (``data/<dataset>``) and ``--work-dir``
    (``work_dirs/bench_<dataset>``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--budget', type=float, default=600, help='training seconds per model')
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data', dataset))
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', f'bench_{dataset}'))
    return parser.parse_args()


def protocol(budget: float) -> str:
    """How :func:`budget_config` trains, in words, for the results' header."""
    return (f'each trained for whole epochs until {budget:.0f} s were spent (lr: '
            f'{WARMUP_ITERS}-iteration warm-up, then constant)')


def budget_config(path: str, data_root: str, budget: float, work_dir: str) -> Config:
    """``path`` set up to train from scratch until ``budget`` seconds are spent.

    Whole epochs (``TimeBudgetHook``), lr warmed up over the first ``WARMUP_ITERS``
    iterations and then held (the number of epochs is not known ahead), no validation or
    checkpoints during training.
    """
    cfg = Config.fromfile(osp.join(ROOT, path))
    cfg.work_dir = work_dir
    cfg.train_cfg = dict(by_epoch=True, max_epochs=10_000, val_interval=10_000)
    cfg.param_scheduler = [
        dict(type='LinearLR', begin=0, end=WARMUP_ITERS, start_factor=0.01, by_epoch=False)]
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=10_000, save_last=False)
    cfg.custom_hooks = [hook for hook in cfg.custom_hooks if hook['type'] != 'EarlyStoppingHook']
    cfg.custom_hooks.append(dict(type='TimeBudgetHook', budget_seconds=budget))
    cfg.randomness = dict(seed=0)
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.data_root = data_root
    return cfg


def train_and_test(path: str, data_root: str, budget: float, work_dir: str) -> dict:
    """Train ``path`` for ``budget`` seconds, then test the final weights.

    Returns:
        dict: ``epochs``, ``iterations``, ``train_seconds``, ``train_img_s`` and the test
        metrics.
    """
    runner = Runner.from_cfg(budget_config(path, data_root, budget, work_dir))
    start = time.perf_counter()
    runner.train()
    train_seconds = time.perf_counter() - start
    metrics = {name: float(value) for name, value in runner.test().items()}
    images = runner.epoch * len(runner.train_dataloader.dataset)
    return dict(config=path, epochs=runner.epoch, iterations=runner.iter,
                train_seconds=train_seconds, train_img_s=images / train_seconds, **metrics)


def train_and_test_all(models: Dict[str, str], data_root: str, budget: float,
                       work_root: str) -> List[dict]:
    """:func:`train_and_test` for each ``{name: config path}``, one after the other.

    Returns:
        list[dict]: one row per model, ``model`` (its name) first; work dirs are
        ``work_root/<config name>``.
    """
    results = []
    for name, path in models.items():
        work_dir = osp.join(work_root, osp.splitext(osp.basename(path))[0])
        results.append(dict(model=name, **train_and_test(path, data_root, budget, work_dir)))
    return results
