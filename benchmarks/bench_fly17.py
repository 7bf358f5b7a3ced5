"""Accuracy at equal wall-clock budget: our UNet vs mmpose's SimpleBaseline ResNet-18 on fly17.

Both train from scratch on the same synthetic fly17 data and pipeline (configs/unet_fly17.py
and configs/simplebaseline_res18_fly17.py, each with its own optimizer), one after the other
on this machine, each until its time budget is spent (TimeBudgetHook: whole epochs, so the
last one may overshoot; the time used is reported). The learning rate is warmed up over 50
iterations and then held constant, since the number of epochs is not known in advance.
Each final model is then tested on the test split: PCK@0.2, AUC, EPE, p95 distance.

    python benchmarks/bench_fly17.py [--budget 600] [--data-root data/fly17]

Writes benchmarks/results/fly17.{json,md}.
"""
import os.path as osp

from mmpose_animal.data_tools import make_synthetic_fly17
from common import markdown_table, parse_budget_args, train_and_test_all, write_budget_study

MODELS = {
    'UNetEncoder + UNetHeatmapHead (unet_fly17)': 'configs/unet_fly17.py',
    'SimpleBaseline R18 + HeatmapHead (mmpose stock)': 'configs/simplebaseline_res18_fly17.py',
}


def main() -> None:
    args = parse_budget_args(__doc__.splitlines()[0], 'fly17')
    if not osp.isfile(osp.join(args.data_root, 'annotations', 'fly17_train.json')):
        make_synthetic_fly17(args.data_root, num=1000, seed=0)
    results = train_and_test_all(MODELS, args.data_root, args.budget, args.work_dir)
    rows = [[row['model'], row['epochs'], row['iterations'], row['train_seconds'],
             row['train_img_s'], row['PCK'], row['AUC'], row['EPE'], row['dist/p95']]
            for row in results]
    headers = ['model', 'epochs', 'iterations', 'train s', 'train img/s', 'PCK@0.2', 'AUC',
               'EPE (px)', 'p95 dist (px)']
    ours, stock = results
    write_budget_study('fly17', 'fly17: accuracy at equal training time',
                       'both from scratch on the synthetic fly17 set (800 train / 100 test '
                       'frames, 192x192, same augmentation)', markdown_table(headers, rows),
                       results, args.budget, 'EPE ratio (ours / stock)',
                       ours['EPE'] / stock['EPE'])


if __name__ == '__main__':
    main()
