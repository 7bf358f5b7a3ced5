"""The README's main command (make quickstart): synthetic flies -> train -> test -> curves.

Generates the synthetic fly17 set into data/fly17 when it is absent, trains unet_fly17 on a
short CPU schedule, evaluates the best checkpoint on the test split, and prints the metric
table and where the overlays and curves are.
"""
import argparse
import glob
import json
import os.path as osp
import subprocess
import sys
import time

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join('configs', 'unet_fly17_quickstart.py')


def run(*args: str) -> None:
    print(f'\n$ {" ".join(args)}', flush=True)
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', default='data/fly17', help='synthetic data folder')
    parser.add_argument('--num', type=int, default=1000, help='frames to generate if absent')
    parser.add_argument('--work-dir', help='default: work_dirs/quickstart_<time>')
    args = parser.parse_args(argv)
    start = time.time()
    work_dir = args.work_dir or osp.join('work_dirs', time.strftime('quickstart_%Y%m%d_%H%M%S'))

    if not osp.isfile(osp.join(ROOT, args.data_root, 'annotations', 'fly17_train.json')):
        run('tools/make_synthetic_data.py', 'fly17', '--out', args.data_root,
            '--num', str(args.num), '--seed', '0')
    else:
        print(f'using the existing synthetic data in {args.data_root}')
    options = ['--cfg-options', f'train_dataloader.dataset.data_root={args.data_root}',
               f'val_dataloader.dataset.data_root={args.data_root}',
               f'test_dataloader.dataset.data_root={args.data_root}']
    run('tools/train.py', CONFIG, '--work-dir', work_dir, *options)
    best = sorted(glob.glob(osp.join(ROOT, work_dir, 'best_EPE_*.pth')))
    checkpoint = best[-1] if best else open(osp.join(ROOT, work_dir, 'last_checkpoint')).read()
    metrics_file = osp.join(work_dir, 'test_metrics.json')
    overlays = osp.join(work_dir, 'overlays')
    run('tools/test.py', CONFIG, checkpoint, '--work-dir', work_dir, '--out', metrics_file,
        '--dump', osp.join(work_dir, 'test_predictions.json'), '--show-dir', overlays,
        *options)
    run('tools/plot_curves.py', work_dir)

    with open(osp.join(ROOT, metrics_file)) as file:
        metrics = json.load(file)
    minutes = (time.time() - start) / 60
    print(f'\nquickstart done in {minutes:.1f} min: test PCK@0.2 {metrics["PCK"]:.3f}, '
          f'AUC {metrics["AUC"]:.3f}, EPE {metrics["EPE"]:.2f} px, mean distance '
          f'{metrics["dist/mean"]:.2f} px (synthetic fly17 test split)')
    print(f'checkpoint: {osp.relpath(checkpoint, ROOT)}')
    print(f'metrics:    {metrics_file}\noverlays:   {overlays}/\n'
          f'curves:     {osp.join(work_dir, "curves.png")}')


if __name__ == '__main__':
    main()
