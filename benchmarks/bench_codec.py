"""The codec where the animal fills the frame: UDP against MSRA on the synthetic fly17 set.

On the real Openfield mouse (whole 640x480 frames squeezed into 256x192) UDP beat MSRA by
1.6 px EPE with each of two seeds; there one heatmap pixel is 10 original pixels. This asks
the same question where the animal fills a 192x192 crop: ``configs/unet_fly17_quickstart.py``
(the quickstart's 12-epoch schedule) with each codec (``UDPHeatmap`` + ``TopdownAffine(
use_udp=True)``, or ``MSRAHeatmap`` + the plain crop), each trained with two seeds from
scratch, one torch thread per run and ``--jobs`` runs at a time, the final weights tested on
the test split with flip test.

    python benchmarks/bench_codec.py [--epochs 12] [--seeds 0 1] [--jobs 2]

Writes benchmarks/results/fly17_codec.{json,md}.
"""
import argparse
import copy
import multiprocessing
import os.path as osp
from concurrent.futures import ProcessPoolExecutor

import torch
from mmengine.config import Config

from mmpose_animal.data_tools import make_synthetic_fly17
from common import (HEADERS, ROOT, machine, markdown_table, table_row, test_row, train,
                    with_epochs, write_results)

CONFIG = osp.join(ROOT, 'configs', 'unet_fly17_quickstart.py')
CODECS = {'UDP': 'UDPHeatmap', 'MSRA': 'MSRAHeatmap'}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, default=12)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--jobs', type=int, default=2, help='runs at a time (one thread each)')
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data', 'fly17'))
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_codec'))
    return parser.parse_args()


def with_codec(cfg: Config, codec: str) -> Config:
    """``cfg`` with the codec ``codec`` (``'UDP'`` or ``'MSRA'``) in the head, the targets and
    every crop."""
    cfg = copy.deepcopy(cfg)
    cfg.codec = dict(cfg.codec, type=CODECS[codec])
    cfg.model.head.decoder = cfg.codec
    for split in ('train', 'val', 'test'):
        for transform in cfg[f'{split}_dataloader'].dataset.pipeline:
            if transform.type == 'TopdownAffine':
                transform.use_udp = codec == 'UDP'
            if transform.type == 'GenerateTarget':
                transform.encoder = cfg.codec
    return cfg


def run(codec: str, seed: int, args: argparse.Namespace) -> dict:
    """Train and test one codec with one seed, on one torch thread."""
    torch.set_num_threads(1)
    name = f'{codec.lower()}_seed{seed}'
    cfg = with_epochs(with_codec(Config.fromfile(CONFIG), codec), args.epochs,
                      osp.join(args.work_dir, name))
    cfg.randomness.seed = seed
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.data_root = args.data_root
    runner, seconds = train(cfg)
    return dict(test_row(runner, f'{codec} ({CODECS[codec]}), seed {seed}', seconds),
                codec=codec, seed=seed)


def main() -> None:
    args = parse_args()
    if not osp.isfile(osp.join(args.data_root, 'annotations', 'fly17_train.json')):
        make_synthetic_fly17(args.data_root, num=1000, seed=0)
    runs = [(codec, seed) for seed in args.seeds for codec in CODECS]
    spawn = multiprocessing.get_context('spawn')  # fresh interpreters, not forks of torch
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=spawn) as pool:
        results = list(pool.map(run, *zip(*runs), [args] * len(runs)))
    info = machine()
    table = markdown_table(HEADERS, [table_row(row) for row in results])
    mean = {codec: sum(r['EPE'] for r in results if r['codec'] == codec) / len(args.seeds)
            for codec in CODECS}
    markdown = (f'# The codec where the animal fills the frame (synthetic fly17)\n\n'
                f'`python benchmarks/bench_codec.py --epochs {args.epochs} --seeds '
                f'{" ".join(map(str, args.seeds))} --jobs {args.jobs}` on {info["cpu"]} '
                f'({info["cores"]} cores, one torch thread per run, {args.jobs} runs at a time, '
                f'torch {info["torch"]}): `unet_fly17_quickstart.py` (800 train / 100 test '
                f'frames, 192x192 crops the fly fills, heatmaps 48x48), {args.epochs} epochs '
                f'from scratch (warm-up, cosine), final weights tested with flip test. '
                f'Distances in original-image pixels.\n\n{table}\n\nMean EPE over the seeds: '
                + ', '.join(f'{codec} **{value:.3f}**' for codec, value in mean.items()) + '.\n')
    print('\n' + table)
    write_results('fly17_codec', dict(machine=info, epochs=args.epochs, seeds=args.seeds,
                                      results=results, mean_epe=mean), markdown)


if __name__ == '__main__':
    main()
