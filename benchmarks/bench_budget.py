"""Accuracy per CPU-minute on real data: our default against mmpose's SimpleBaseline-R18 given
the same minutes, each with its whole schedule laid out over the epochs that fit.

A real project (``--source``; by default Openfield, ../shared/data/dlc-openfield) is imported
as bench_real.py does (seed-0 split). For each budget M (minutes) and each model, the recipe
is timed here for a few epochs (``budget_schedule.time_training``) and given the most epochs
whose predicted training fits M (``epochs_for_seconds``), warm-up and cosine over those
epochs:

- ours: ``make_config``'s default (what ``tools/make_config.py --minutes M`` writes);
- SimpleBaseline R18: mmpose's ResNet-18 + HeatmapHead, Adam 5e-4, same data, crops and
  pipeline, no early stopping, no weight averaging (mmpose's recipe).

Ablations (``--models ours_noema ours_long320 ours_long384 ours_wide12 ours_wide16``, at
``--ablation-minutes``): ours without weight averaging, with a whole-frame input long side of
320 or 384 (the default: 256), and with 12 or 16 encoder base channels (the default: 8); each
is timed as written, so a larger input or a wider model gets fewer epochs.

Each run validates as the generated configs do (about 30 times; the history shows spikes) and
its final weights are tested on the test split. One process per seed (or per seed and
``--models``: each writes ``WORK/seed<S>_<models>``), one torch thread each, so two run side
by side on two cores; ``--report`` merges their files into
``benchmarks/results/budget.{json,md,png}``:

    python benchmarks/bench_budget.py --seed 0 &  python benchmarks/bench_budget.py --seed 1
    python benchmarks/bench_budget.py --report
    python benchmarks/bench_budget.py --source ../shared/data/lp-mirror-mouse --minutes 12 \
        --work-dir work_dirs/budget_lp --seed 0 &  (and --seed 1), then --report --out budget_lp
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from common import (DEFAULT_SOURCE, RESULTS, ROOT, final_metrics, machine, markdown_table,
                    prepare_dataset, relative, run_and_data, stock_config, with_epochs,
                    write_results)
from mmpose_animal.data_tools.budget_schedule import epochs_for_seconds, time_training
from mmpose_animal.data_tools.config_writer import make_config, validation_interval

MODELS = {'ours': 'ours: UNetEncoder + UNetHeatmapHead (make_config default)',
          'stock': 'SimpleBaseline R18 (mmpose)',
          'ours_noema': 'ours without weight averaging (make_config ema=False)',
          'ours_long320': 'ours, whole-frame input long side 320 (make_config long_side=320)',
          'ours_long384': 'ours, whole-frame input long side 384 (make_config long_side=384)',
          'ours_wide12': 'ours, encoder base channels 12 (make_config base_channels=12)',
          'ours_wide16': 'ours, encoder base channels 16 (make_config base_channels=16)'}
OURS_OPTIONS = {'ours': {}, 'ours_noema': dict(ema=False),  # make_config arguments
                'ours_long320': dict(long_side=320), 'ours_long384': dict(long_side=384),
                'ours_wide12': dict(base_channels=12), 'ours_wide16': dict(base_channels=16)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--minutes', type=float, nargs='+', default=[5, 10, 20])
    parser.add_argument('--ablation-minutes', type=float, nargs='+', default=[10],
                        help='budgets of the ablations (ours_*)')
    parser.add_argument('--seed', type=int, default=0, help='training seed (split: seed 0)')
    parser.add_argument('--models', nargs='+', choices=sorted(MODELS), default=['ours', 'stock'])
    parser.add_argument('--source', default=DEFAULT_SOURCE,
                        help='labelled project (DeepLabCut, Lightning Pose, SLEAP)')
    parser.add_argument('--out', default='budget',
                        help='results name: benchmarks/results/OUT.{json,md,png}')
    parser.add_argument('--threads', type=int, default=1, help='torch threads')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_budget'))
    parser.add_argument('--report', action='store_true',
                        help='merge the seeds\' runs into benchmarks/results/OUT.*')
    return parser.parse_args()


class ValidationHistory(Hook):
    """Keep every validation's EPE."""

    def __init__(self):
        self.epe = []

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.epe.append(float(metrics['EPE']))


def worst_spike(history: list) -> float:
    """The largest validation EPE over the best one before it (1.0: never worse)."""
    return max([1.0] + [epe / min(history[:i]) for i, epe in enumerate(history) if i])


def run(cfg: Config, name: str, minutes: float, planned: float) -> dict:
    """Train ``cfg`` with its validation history, test the final weights; a result row."""
    history = ValidationHistory()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(history)
    start = time.perf_counter()
    runner.train()
    seconds = time.perf_counter() - start
    metrics = final_metrics(runner)
    row = dict(model=name, minutes=minutes, epochs=runner.epoch,
               planned_epochs=cfg.train_cfg.max_epochs, iterations=runner.iter,
               predicted_seconds=planned, train_seconds=seconds, val_epe=history.epe,
               worst_spike=worst_spike(history.epe), **metrics)
    print(f'{name}, {minutes:g} min: {row}', flush=True)
    return row


def main() -> None:
    args = parse_args()
    if args.report:
        return report(args)
    torch.set_num_threads(args.threads)
    work = osp.join(args.work_dir, f"seed{args.seed}_{'_'.join(args.models)}")
    os.makedirs(work, exist_ok=True)
    data_root, sizes = prepare_dataset(args.source, work)
    info = machine()
    configs = {}
    for model in ['ours'] + [m for m in args.models if m in OURS_OPTIONS and m != 'ours']:
        options = OURS_OPTIONS[model]  # each timed as make_config writes it; stock from ours
        path = osp.join(work, 'default.py' if model == 'ours' else f'{model}_default.py')
        with open(path, 'w') as file:
            file.write(make_config(data_root, path, **options))
        configs[model] = Config.fromfile(path)
    configs['stock'] = stock_config(configs['ours'])
    part = dict(machine=info, command=' '.join(['python', relative(sys.argv[0]), *sys.argv[1:]]),
                data=run_and_data(info, args.source, sizes), seed=args.seed, timings={},
                results=[])
    for model in args.models:
        timing = time_training(configs[model], osp.join(work, f'{model}_timing'))
        part['timings'][model] = vars(timing)
        for minutes in args.minutes if model in ('ours', 'stock') else args.ablation_minutes:
            epochs = epochs_for_seconds(timing, minutes * 60)
            if model in OURS_OPTIONS:  # the config make_config --minutes writes
                path = osp.join(work, f'{model}_{minutes:g}min.py')
                with open(path, 'w') as file:
                    file.write(make_config(data_root, path, max_epochs=epochs,
                                           **OURS_OPTIONS[model]))
                cfg = Config.fromfile(path)
            else:
                cfg = configs[model]
            cfg = with_epochs(cfg, epochs, osp.join(work, f'{model}_{minutes:g}min'),
                              validation_interval(epochs), args.seed)
            part['results'].append(run(cfg, MODELS[model], minutes, timing.seconds(epochs)))
            with open(osp.join(work, 'part.json'), 'w') as file:  # after each run: can be cut
                json.dump(part, file, indent=2)


def report(args: argparse.Namespace) -> None:
    """Merge ``work_dir/seed*/part.json`` (the runs of each seed by model) into the results
    table and plot."""
    parts = [json.load(open(osp.join(args.work_dir, name, 'part.json')))
             for name in sorted(os.listdir(args.work_dir))
             if osp.isfile(osp.join(args.work_dir, name, 'part.json'))]
    rows = [dict(row, seed=part['seed']) for part in parts for row in part['results']]
    seeds = sorted({row['seed'] for row in rows})
    budgets = sorted({row['minutes'] for row in rows})
    table, ratios = [], {}
    for minutes in budgets:
        epe = {}
        for name in MODELS.values():
            runs = {r['seed']: r for r in rows if r['minutes'] == minutes and r['model'] == name}
            if not runs:
                continue
            epe[name] = [runs[s]['EPE'] for s in seeds if s in runs]
            table.append([f'{minutes:g}', name] + [
                f"{runs[s]['EPE']:.2f} ({runs[s]['epochs']} ep, {runs[s]['train_seconds']:.0f} s)"
                if s in runs else '-' for s in seeds] +
                [sum(epe[name]) / len(epe[name]),
                 max(r['worst_spike'] for r in runs.values())])
        for model in OURS_OPTIONS:  # key: the minutes (and the ablation)
            if MODELS[model] in epe and MODELS['stock'] in epe:
                key = f'{minutes:g} min' + ('' if model == 'ours' else f' ({model})')
                ratios[key] = [o / s for o, s in zip(epe[MODELS[model]], epe[MODELS['stock']])]
    headers = (['minutes', 'model'] + [f'seed {s}: test EPE px (epochs, train s)' for s in seeds]
               + ['mean EPE (px)', 'worst val spike (x best before)'])
    ratio_text = '; '.join(f'{m}: ' + ' / '.join(f'{r:.2f}' for r in v)
                           for m, v in ratios.items())
    others = ' and '.join(f"`{part['command']}`" for part in parts[1:])
    title = project_name(parts[0]['command'])
    markdown = (f'# Accuracy per CPU-minute: real {title}, ours against SimpleBaseline-R18\n\n'
                f'{parts[0]["data"]})'
                f'{", side by side with " + others if others else ""}; then `python '
                f'benchmarks/bench_budget.py --report{out_option(args)}`. Each model is timed '
                f'here for a few epochs and given the most epochs whose predicted training '
                f'fits the budget, its warm-up and cosine over them; the final weights (with '
                f'weight averaging, the averaged ones) tested as make_config set the project '
                f'up (Openfield: crops the model finds itself, flip test; a project whose '
                f'animal fills the frame: the whole frame). Distances in original-image '
                f'pixels.\n\n'
                f'{markdown_table(headers, table)}\n\nEPE ratio ours / SimpleBaseline-R18 '
                f'(per seed): {ratio_text}.\n')
    print(markdown)
    plot(rows, osp.join(RESULTS, f'{args.out}.png'), title)
    write_results(args.out, dict(machine=parts[0]['machine'], parts=parts, ratios=ratios),
                  markdown + f'\n![EPE against minutes]({args.out}.png)\n')


def project_name(command: str) -> str:
    """The project a run's command names (its ``--source`` folder; Openfield by default)."""
    words = command.split()
    source = words[words.index('--source') + 1] if '--source' in words else DEFAULT_SOURCE
    return osp.basename(osp.normpath(source))


def out_option(args: argparse.Namespace) -> str:
    return '' if args.out == 'budget' else f' --out {args.out}'


def plot(rows: list, path: str, title: str) -> None:
    """Test EPE against training minutes, one line per model and seed."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    figure, axis = plt.subplots(figsize=(6, 4))
    for name in MODELS.values():
        for seed in sorted({r['seed'] for r in rows}):
            runs = sorted((r for r in rows if r['model'] == name and r['seed'] == seed),
                          key=lambda r: r['minutes'])
            if runs:
                axis.plot([r['minutes'] for r in runs], [r['EPE'] for r in runs],
                          'o-' if name == MODELS['ours'] else 's--',
                          label=f'{name.split(":")[0]}, seed {seed}')
    axis.set(xlabel='training budget (minutes, one thread)', ylabel='test EPE (px)', yscale='log',
             title=f'Real {title}: accuracy per CPU-minute')
    axis.grid(True, which='both', alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)


if __name__ == '__main__':
    main()
