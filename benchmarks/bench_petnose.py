"""Pet noses at equal wall-clock budget: ResNet-18 + UNetHeatmapHead vs the report's model.

configs/unet_petnose.py (skips, 64x64 heatmaps, sigma 2) against
configs/petnose_resnet18_upsample.py (the pet-nose report: 5-stage upsampling to 256x256,
sigmoid, sigma 7), both from scratch on the same synthetic pet-nose data and augmentation,
each trained until its time budget is spent, then tested on test_noses.txt: nose distance in
original-image pixels (min / mean / median / p95 / max / std, the report's table).

    python benchmarks/bench_petnose.py [--budget 600] [--data-root data/petnose]

Writes benchmarks/results/petnose.{json,md}.
"""
import os.path as osp

from mmpose_animal.data_tools import make_synthetic_petnose
from common import markdown_table, parse_budget_args, train_and_test_all, write_budget_study

MODELS = {
    'R18 + UNetHeatmapHead (unet_petnose)': 'configs/unet_petnose.py',
    "report's R18 + 5x upsample + sigmoid (petnose_resnet18_upsample)":
        'configs/petnose_resnet18_upsample.py',
}
STATS = ('min', 'mean', 'median', 'p95', 'max', 'std')


def main() -> None:
    args = parse_budget_args(__doc__.splitlines()[0], 'petnose')
    if not osp.isfile(osp.join(args.data_root, 'train_noses.txt')):
        make_synthetic_petnose(args.data_root, num=700, seed=0)
    results = train_and_test_all(MODELS, args.data_root, args.budget, args.work_dir)
    rows = [[row['model'], row['epochs'], row['iterations'], row['train_seconds'],
             row['train_img_s']] + [row[f'dist/{s}'] for s in STATS] + [row['PCK']]
            for row in results]
    headers = ['model', 'epochs', 'iterations', 'train s', 'train img/s'] + \
        [f'{s} dist (px)' for s in STATS] + ['PCK@0.2']
    ours, report = results
    write_budget_study('petnose', 'Pet noses: accuracy at equal training time',
                       'both from scratch on the synthetic pet-nose set (train_noses.txt / '
                       'test_noses.txt, 85 / 15 %), 256x256 input, the same augmentation',
                       markdown_table(headers, rows), results, args.budget,
                       'Mean-distance ratio (ours / report)',
                       ours['dist/mean'] / report['dist/mean'])


if __name__ == '__main__':
    main()
