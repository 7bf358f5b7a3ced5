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
from common import machine, markdown_table, write_results
from common import budget_protocol, parse_budget_args, train_and_test_all

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
    info = machine()
    results = train_and_test_all(MODELS, args.data_root, args.budget, args.work_dir)
    rows = [[row['model'], row['epochs'], row['iterations'], row['train_seconds'],
             row['train_img_s']] + [row[f'dist/{s}'] for s in STATS] + [row['PCK']]
            for row in results]
    ours, report = results
    ratio = ours['dist/mean'] / report['dist/mean']
    headers = ['model', 'epochs', 'iterations', 'train s', 'train img/s'] + \
        [f'{s} dist (px)' for s in STATS] + ['PCK@0.2']
    table = markdown_table(headers, rows)
    markdown = (f'# Pet noses: accuracy at equal training time\n\nMeasured by `python '
                f'benchmarks/bench_petnose.py --budget {args.budget:.0f}` on {info["cpu"]} '
                f'({info["cores"]} cores, torch {info["torch"]}): both from scratch on the '
                f'synthetic pet-nose set (train_noses.txt / test_noses.txt, 85 / 15 %), '
                f'256x256 input, the same augmentation, {budget_protocol(args.budget)}, '
                f'then tested (flip test on). Distances in '
                f'original-image pixels.\n\n{table}\n\nMean-distance ratio (ours / report): '
                f'**{ratio:.2f}**.\n')
    print('\n' + table + f'\n\nmean distance ratio (ours / report): {ratio:.2f}')
    write_results('petnose', dict(machine=info, budget_seconds=args.budget, results=results,
                                  mean_distance_ratio=ratio), markdown)


if __name__ == '__main__':
    main()
