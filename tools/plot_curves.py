"""Plot loss and metric curves of a run from mmengine's scalars.json.

    python tools/plot_curves.py work_dirs/unet_fly17 [--out curves.png]
"""
import argparse
import glob
import os.path as osp
import sys
from collections import defaultdict

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

from mmpose_animal.engine.scalars import read_scalars  # noqa: E402


def find_scalars(work_dir: str) -> str:
    """The newest ``<work_dir>/<timestamp>/vis_data/scalars.json``."""
    candidates = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not candidates:
        raise FileNotFoundError(f'no */vis_data/scalars.json under {work_dir}; is it an '
                                f'mmengine work dir of a training run?')
    return candidates[-1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir', help='work dir of a training run')
    parser.add_argument('--out', help='PNG to write (default: <work_dir>/curves.png)')
    args = parser.parse_args(argv)
    try:
        scalars_file = find_scalars(args.work_dir)
        train, val = read_scalars(scalars_file)
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'plot_curves.py: error: {error}')

    panels = defaultdict(list)
    for key in ('loss', 'loss_kpt', 'acc_pose', 'lr'):
        if key in train:
            panels['train'].append(key)
    panels['val'] = [k for k in val if not k.startswith('dist/mean_')]
    keys = panels['train'] + panels['val']
    figure, axes = plt.subplots(len(keys), 1, figsize=(7, 2.2 * len(keys)), squeeze=False)
    for axis, key in zip(axes[:, 0], keys):
        series = train[key] if key in panels['train'] else val[key]
        steps, values = zip(*series)
        axis.plot(steps, values, marker='' if key in panels['train'] else 'o')
        axis.set_ylabel(key)
        axis.set_xlabel('iteration' if key in panels['train'] else 'epoch')
        axis.grid(alpha=0.3)
    figure.tight_layout()
    out = args.out or osp.join(args.work_dir, 'curves.png')
    figure.savefig(out, dpi=100)
    print(f'curves of {scalars_file} -> {out}')


if __name__ == '__main__':
    main()
