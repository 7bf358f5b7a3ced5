"""Plot loss and metric curves of a run from mmengine's scalars.json.

    python tools/plot_curves.py work_dirs/unet_fly17 [--out curves.png]
"""
import argparse
import glob
import os.path as osp
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

from mmpose_animal.cli import read_scalars  # noqa: E402


def find_scalars(work_dir: str) -> str:
    """The newest ``<work_dir>/<timestamp>/vis_data/scalars.json``."""
    candidates = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not candidates:
        raise FileNotFoundError(f'no */vis_data/scalars.json under {work_dir}; is it an '
                                f'mmengine work dir of a training run?')
    return candidates[-1]


def plot_series(axis, series, label: str, xlabel: str, marker: str = '') -> None:
    steps, values = zip(*series)
    axis.plot(steps, values, marker=marker, label=label)
    axis.set_xlabel(xlabel)
    axis.grid(alpha=0.3)


def plot_grid(train: dict, val: dict):
    """A 2 x 3 grid: training loss and lr by iteration; validation PCK, AUC and pixel
    errors by epoch; the per-keypoint mean error of the last validation as bars."""
    figure, axes = plt.subplots(2, 3, figsize=(15, 8))
    (loss_ax, lr_ax, keypoint_ax), (pck_ax, auc_ax, error_ax) = axes
    for axis, key, title in ((loss_ax, 'loss', 'training loss'), (lr_ax, 'lr', 'learning rate')):
        if key in train:
            plot_series(axis, train[key], key, 'iteration')
        axis.set_title(title)
    loss_ax.set_yscale('log')
    for axis, key, title in ((pck_ax, 'PCK', 'validation PCK@0.2'),
                             (auc_ax, 'AUC', 'validation AUC')):
        if key in val:
            plot_series(axis, val[key], key, 'epoch', marker='o')
        axis.set_title(title)
    for key in ('EPE', 'dist/median', 'dist/p95'):
        if key in val:
            plot_series(error_ax, val[key], key, 'epoch', marker='o')
    error_ax.set_title('validation error (px)')
    error_ax.legend()
    per_keypoint = {key[len('dist/mean_'):]: series[-1][1] for key, series in val.items()
                    if key.startswith('dist/mean_') and key != 'dist/mean_norm'}
    if per_keypoint:
        names = list(per_keypoint)
        keypoint_ax.barh(names, [per_keypoint[n] for n in names])
        keypoint_ax.invert_yaxis()
        keypoint_ax.grid(alpha=0.3, axis='x')
        keypoint_ax.set_xlabel('mean error (px)')
    keypoint_ax.set_title('per keypoint, last validation')
    figure.tight_layout()
    return figure


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

    figure = plot_grid(train, val)
    out = args.out or osp.join(args.work_dir, 'curves.png')
    figure.savefig(out, dpi=100)
    print(f'curves of {scalars_file} -> {out}')


if __name__ == '__main__':
    main()
