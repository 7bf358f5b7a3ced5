"""Sim-to-real: does pre-training on the project's synthetic animals help on real labels?

On DeepLabCut's Openfield (imported as in bench_real.py: seed 0, 80/10/10), our default config
trains on a random 25 %, 50 % and 100 % of the training frames, once from scratch and once
fine-tuned from a checkpoint trained on synthetic data (e.g. `make quickstart`'s synthetic
fly17 model: same encoder and decoder; the final 1x1 layer, shaped by K, starts fresh). Same
epochs, schedule and seed; final weights tested on the same test split, flip test on.

    python benchmarks/bench_sim2real.py --pretrained work_dirs/quickstart_*/epoch_12.pth \
        [--epochs 50] [--fractions 0.25 0.5 1.0]

Writes benchmarks/results/real_sim2real.{json,md}.
"""
import argparse
import os.path as osp

import numpy as np
import torch

from common import (DEFAULT_SOURCE, HEADERS, ROOT, machine, markdown_table, ours_config,
                    prepare_dataset, run_and_data, table_row, train_and_test, write_results)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--pretrained', required=True, help='checkpoint trained on synthetic '
                        'data with the same encoder and decoder widths')
    parser.add_argument('--source', default=DEFAULT_SOURCE, help='DeepLabCut project')
    parser.add_argument('--epochs', type=int, default=50, help='epochs of every run')
    parser.add_argument('--fractions', type=float, nargs='+', default=[0.25, 0.5, 1.0],
                        help='fractions of the training frames to train on')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_sim2real'))
    parser.add_argument('--threads', type=int, help='torch threads (default: torch\'s)')
    args = parser.parse_args()
    if not osp.isfile(args.pretrained):
        parser.error(f'--pretrained {args.pretrained}: no such file')
    if any(not 0 < f <= 1 for f in args.fractions):
        parser.error(f'--fractions {args.fractions}: each must be in (0, 1]')
    if args.threads:
        torch.set_num_threads(args.threads)
    return args


def main() -> None:
    args = parse_args()
    data_root, sizes = prepare_dataset(args.source, args.work_dir)
    info = machine()
    order = np.random.default_rng(0).permutation(sizes['train'])
    rows, pairs = [], []
    for fraction in args.fractions:
        frames = max(1, round(fraction * sizes['train']))
        pair = []
        for start, load_from in (('scratch', None), ('fine-tuned', args.pretrained)):
            name = f'{start}_{round(100 * fraction)}'
            cfg = ours_config(data_root, args.work_dir, name, args.epochs)
            cfg.train_dataloader.dataset.indices = sorted(order[:frames].tolist())
            cfg.load_from = load_from
            pair.append(train_and_test(cfg, f'ours, {start}, {frames} train frames '
                                            f'({100 * fraction:.0f} %)'))
        rows += pair
        pairs.append(dict(fraction=fraction, frames=frames,
                          epe_ratio_finetuned_scratch=pair[1]['EPE'] / pair[0]['EPE']))
        write_table(args, info, sizes, rows, pairs)  # after each pair: a long run can be cut


def write_table(args: argparse.Namespace, info: dict, sizes: dict, rows: list,
                pairs: list) -> None:
    """Write results/real_sim2real.{json,md} with the runs so far."""
    protocol = (run_and_data(info, args.source, sizes) + '); training subsets drawn with '
                'seed 0 (each contains the smaller). '
                f'make_config default, {args.epochs} epochs (warm-up over epoch 1, cosine), '
                f'final weights on the test split with flip test, original-image pixels. '
                f'Pre-trained: `{args.pretrained}`.')
    ratios = ', '.join(f'{p["frames"]} frames **{p["epe_ratio_finetuned_scratch"]:.2f}**'
                       for p in pairs)
    table = markdown_table(HEADERS, [table_row(r) for r in rows])
    markdown = (f'# Real data: synthetic pre-training, then real labels (Openfield)\n\n'
                f'{protocol}\n\n{table}\n\nEPE ratio fine-tuned / from scratch: {ratios} '
                f'(below 1: pre-training helps).\n')
    print('\n' + table + '\n\n' + ratios)
    write_results('real_sim2real', dict(machine=info, protocol=protocol, splits=sizes,
                                        results=rows, ratios=pairs), markdown)


if __name__ == '__main__':
    main()
