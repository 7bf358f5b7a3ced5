"""Helpers shared by the benchmarks: the machine, timing, training and testing configs, and
writing results (``benchmarks/results/<study>.{json,md}``, one current file per study)."""
import argparse
import copy
import json
import os
import os.path as osp
import platform
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import EMAHook
from mmengine.runner import Runner

from mmpose_animal.cli import without_hooks
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.fileio.labels import read_labels, write_dataset
from mmpose_animal.engine import stop_data_workers

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
RESULTS = osp.join(ROOT, 'benchmarks', 'results')
# the real DeepLabCut project beside the checkout (../shared/data, see its README)
DEFAULT_SOURCE = osp.join(osp.dirname(ROOT), 'shared', 'data', 'dlc-openfield')
# short enough for the slowest model to finish warming up well inside a 10-minute budget
WARMUP_ITERS = 50


def relative(path: str) -> str:
    """``path`` relative to the checkout, as results name files (no machine's folders)."""
    return osp.relpath(osp.abspath(path), ROOT)


def machine() -> dict:
    """CPU model, cores, torch threads and versions, for the results' header."""
    cpu = platform.processor() or 'unknown'
    if osp.exists('/proc/cpuinfo'):
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    return dict(cpu=cpu, cores=os.cpu_count(), torch_threads=torch.get_num_threads(),
                torch=torch.__version__, cuda=torch.cuda.is_available(),
                python=platform.python_version())


def throughput(step: Callable[[], None], seconds: float, batch: int, warmup: int = 2,
               repeats: int = 3) -> float:
    """Images per second of ``step`` (one batch of ``batch`` images): the best of ``repeats``
    timing windows.

    Each window runs at least ``seconds / repeats`` and 2 batches; taking the best window
    (as ``timeit`` does) keeps other load on the machine out of the number.
    """
    for _ in range(warmup):
        step()
    best = 0.0
    for _ in range(repeats):
        count, start = 0, time.perf_counter()
        while True:
            step()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / repeats and count >= 2:
                break
        best = max(best, batch * count / elapsed)
    return best


def jitter(points: np.ndarray) -> np.ndarray:
    """Per keypoint, the median |second difference| over time of (T, K, 2) points (px)."""
    second = np.linalg.norm(np.diff(points, n=2, axis=0), axis=-1)
    return np.nanmedian(second, axis=0)


def markdown_table(headers: Sequence[str], rows: List[Sequence]) -> str:
    """A GitHub markdown table; floats get 2 decimals (3 below 10)."""
    def cell(value):
        if isinstance(value, float):
            return f'{value:.3f}' if abs(value) < 10 else f'{value:.1f}'
        return str(value)
    lines = ['| ' + ' | '.join(headers) + ' |', '|' + '---|' * len(headers)]
    lines += ['| ' + ' | '.join(cell(v) for v in row) + ' |' for row in rows]
    return '\n'.join(lines)


def write_results(name: str, payload: dict, markdown: str) -> None:
    """Write ``results/<name>.json`` and ``results/<name>.md`` (replacing the study's earlier
    results: their history is in git)."""
    os.makedirs(RESULTS, exist_ok=True)
    with open(osp.join(RESULTS, f'{name}.json'), 'w') as file:
        json.dump(payload, file, indent=2)
    with open(osp.join(RESULTS, f'{name}.md'), 'w') as file:
        file.write(markdown + '\n')
    print(f'\nwrote {osp.join(RESULTS, name)}.json and .md')

def read_rows(path: str) -> List[dict]:
    """The result rows of a results file: its ``results``, or those of each of its
    ``parts`` (a study measured in several runs), in order."""
    with open(path) as file:
        payload = json.load(file)
    return [row for part in payload.get('parts', [payload]) for row in part['results']]


HEADERS = ['model', 'epochs', 'train s', 'train img/s', 'EPE (px)', 'RMSE (px)',
           'median (px)', 'p95 (px)', 'max (px)', 'PCK@0.2', 'AUC']


def table_row(row: dict) -> list:
    """A result row (from :func:`test_row`) in the order of :data:`HEADERS`."""
    return [row['model'], row['epochs'], row['train_seconds'], row['train_img_s'], row['EPE'],
            row['dist/rmse'], row['dist/median'], row['dist/p95'], row['dist/max'],
            row['PCK'], row['AUC']]


def run_and_data(info: dict, source: str, sizes: dict) -> str:
    """The start of a protocol line: the command, the machine and the imported split."""
    command = ' '.join([f'python benchmarks/{osp.basename(sys.argv[0])}', *sys.argv[1:]])
    return (f'`{command}` on {info["cpu"]} ({info["cores"]} cores, {info["torch_threads"]} '
            f'torch threads, torch {info["torch"]}, CUDA {"yes" if info["cuda"] else "no"}). '
            f'Data: {relative(source)} imported with seed 0 ({sizes["train"]} train / '
            f'{sizes["val"]} val '
            f'/ {sizes["test"]} test frames')


def prepare_dataset(source: str, work_dir: str) -> Tuple[str, dict]:
    """Import ``source`` into ``work_dir/dataset`` (seed 0, images linked); the folder and
    the frames per split."""
    os.makedirs(work_dir, exist_ok=True)
    data_root = osp.join(work_dir, 'dataset')
    summary = write_dataset(read_labels(source), data_root, link=True, seed=0, force=True)
    return data_root, {split: s['frames'] for split, s in summary.splits.items()}


def ours_config(data_root: str, work_dir: str, name: str, epochs: int, **kwargs) -> Config:
    """make_config's config for ``data_root`` (``kwargs`` change its defaults), written to
    ``work_dir/name.py`` and set to train for ``epochs``."""
    path = osp.join(work_dir, f'{name}.py')
    with open(path, 'w') as file:
        file.write(make_config(data_root, path, **kwargs))
    return with_epochs(Config.fromfile(path), epochs, osp.join(work_dir, name))


def stock_config(ours: Config) -> Config:
    """Our config with mmpose's SimpleBaseline ResNet-18 + HeatmapHead, Adam 5e-4, no
    weight averaging."""
    cfg = copy.deepcopy(ours)
    without_hooks(cfg, 'EMAHook', 'EarlyStoppingHook')
    cfg.model.backbone = dict(type='ResNet', depth=18)
    cfg.model.head = dict(type='HeatmapHead', in_channels=512,
                          out_channels=ours.model.head.out_channels,
                          loss=dict(type='KeypointMSELoss', use_target_weight=True),
                          decoder=ours.codec)
    cfg.optim_wrapper.optimizer.lr = 5e-4
    return cfg


def with_epochs(cfg: Config, epochs: int, work_dir: str, val_interval: Optional[int] = None,
                seed: int = 0) -> Config:
    """``cfg`` trained for exactly ``epochs`` (warm-up in epoch 1, cosine to the end), no
    early stopping, validated and saved every ``val_interval`` epochs (default: never during
    training; the final weights are tested, and saved as ``epoch_<epochs>.pth``)."""
    cfg = copy.deepcopy(cfg)
    val_interval = val_interval or 10 * epochs
    cfg.work_dir = work_dir
    cfg.train_cfg = dict(by_epoch=True, max_epochs=epochs, val_interval=val_interval)
    cfg.param_scheduler[-1].update(begin=0, end=epochs, T_max=epochs)  # the cosine
    without_hooks(cfg, 'EarlyStoppingHook')
    cfg.default_hooks.checkpoint.update(interval=val_interval, save_last=True)
    cfg.randomness = dict(seed=seed)
    return cfg


def train(cfg: Config) -> Tuple[Runner, float]:
    """Train ``cfg``; the runner and the training seconds."""
    runner = Runner.from_cfg(cfg)
    start = time.perf_counter()
    runner.train()
    return runner, time.perf_counter() - start


def final_metrics(runner: Runner, test_options: Optional[dict] = None) -> dict:
    """Test metrics of the weights ``runner``'s training saved last: with weight averaging
    the averaged ones, as ``tools/test.py`` reads them (``runner.test()`` after
    ``runner.train()`` would rebuild the average from the raw weights first).
    ``test_options`` (dotted config keys, as ``--cfg-options``) change how they are tested."""
    if test_options or any(isinstance(hook, EMAHook) for hook in runner.hooks):
        stop_data_workers(runner)
        cfg = copy.deepcopy(runner.cfg)
        cfg.merge_from_dict(test_options or {})
        with open(osp.join(runner.work_dir, 'last_checkpoint')) as file:
            cfg.load_from = file.read().strip()
        without_hooks(cfg, 'EMAHook')
        cfg.work_dir = osp.join(runner.work_dir, 'test')
        runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    stop_data_workers(runner)
    return {key: float(value) for key, value in metrics.items()}


def test_row(runner: Runner, name: str, seconds: float,
             test_options: Optional[dict] = None) -> dict:
    """Test the weights ``runner`` saved last (``test_options`` as for
    :func:`final_metrics`); a result row with its training time."""
    metrics = final_metrics(runner, test_options)
    images = runner.epoch * len(runner.train_dataloader.dataset)
    row = dict(model=name, epochs=runner.epoch, iterations=runner.iter, train_seconds=seconds,
               train_img_s=images / seconds, s_per_epoch=seconds / runner.epoch, **metrics)
    print(f'{name}: {row}', flush=True)
    return row


def train_and_test(cfg: Config, name: str) -> dict:
    """Train ``cfg``, test its final weights; times and metrics."""
    runner, seconds = train(cfg)
    return test_row(runner, name, seconds)




def parse_budget_args(description: str, dataset: str) -> argparse.Namespace:
    """``--budget`` (seconds per model), ``--data-root`` (``data/<dataset>``) and ``--work-dir``
    (``work_dirs/bench_<dataset>``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--budget', type=float, default=600, help='training seconds per model')
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data', dataset))
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', f'bench_{dataset}'))
    return parser.parse_args()


def budget_protocol(budget: float) -> str:
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
    without_hooks(cfg, 'EarlyStoppingHook')
    cfg.custom_hooks = cfg.get('custom_hooks', []) + [
        dict(type='TimeBudgetHook', budget_seconds=budget)]
    cfg.randomness = dict(seed=0)
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.data_root = data_root
    return cfg


def train_and_test_budget(path: str, data_root: str, budget: float, work_dir: str) -> dict:
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
    """:func:`train_and_test_budget` for each ``{name: config path}``, one after the other.

    Returns:
        list[dict]: one row per model, ``model`` (its name) first; work dirs are
        ``work_root/<config name>``.
    """
    results = []
    for name, path in models.items():
        work_dir = osp.join(work_root, osp.splitext(osp.basename(path))[0])
        results.append(dict(model=name, **train_and_test_budget(path, data_root, budget,
                                                                 work_dir)))
    return results


def write_budget_study(study: str, title: str, setup: str, table: str, results: List[dict],
                       budget: float, ratio_label: str, ratio: float) -> None:
    """Print and write the results of an equal-budget study (``bench_<study>.py``).

    Args:
        study (str): The study's name (its script and results file).
        title (str): The results' heading.
        setup (str): The models and data, in words.
        table (str): The markdown table of ``results``.
        results (list[dict]): The rows of :func:`train_and_test_all`.
        budget (float): Training seconds per model.
        ratio_label (str): What ``ratio`` compares, e.g. ``'EPE ratio (ours / stock)'``.
        ratio (float): The headline ratio.
    """
    info = machine()
    markdown = (f'# {title}\n\nMeasured by `python benchmarks/bench_{study}.py --budget '
                f'{budget:.0f}` on {info["cpu"]} ({info["cores"]} cores, torch {info["torch"]}, '
                f'CUDA {"yes" if info["cuda"] else "no"}): {setup}, {budget_protocol(budget)}, '
                f'then tested (flip test on). Distances in original-image pixels.\n\n{table}'
                f'\n\n{ratio_label}: **{ratio:.2f}**.\n')
    print(f'\n{table}\n\n{ratio_label}: {ratio:.2f}')
    write_results(study, dict(machine=info, budget_seconds=budget, results=results,
                              ratio=dict(what=ratio_label, value=ratio)), markdown)
