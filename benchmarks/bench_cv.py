"""Which defaults hold on every real set: k-fold cross-validation of make_config's configs.

Each set of ``cv_sets.py`` is imported once, then split into ``--folds`` folds over its
frames (each fold the test split once; 10 % of the others validate, the rest train). Every
config of ``--configs`` (make_config's default, ``whole``: ``--crop off``, and the variants
of :data:`CONFIGS`) is written by make_config for each fold and trained as a user would run
it (its schedule, validation and checkpoint choice), from scratch, then tested on the fold's
test frames with boxes the model finds itself: the last checkpoint (the averaged weights)
and the best by validation EPE, flip test as configured and the other way round. ``stock``
is mmpose's SimpleBaseline-R18 in the default's place, given the default's CPU time;
``minutes72`` / ``stock_minutes72`` give ours and it 72 minutes each (timed in the job).

Jobs run in ``--jobs`` processes of ``--threads`` torch threads each, and each writes its
result as it ends (``WORK/<set>/<config>/fold<k>/result.json``): a run cut short resumes
where it stopped. ``--report`` only reads the results.

    python benchmarks/bench_cv.py --sets openfield openfield-mixed lp-mirror fly-crops \
        --configs default whole --folds 5 --jobs 2 --threads 1

Writes benchmarks/results/cv_<--out>.{json,md}: per set and config, test EPE mean and
spread (standard deviation over folds), median, training time, the worst validation swing
(a validation EPE over the best before it, after the first 20 % of training; also of the
error over the points a video's 0.3 confidence cut keeps), the test EPE of the
best-by-validation checkpoint and the error with p-cutoff 0.3 (the points a video's
confidence cut keeps, the worst of them and the share cut). ``--retest`` tests the finished
jobs' checkpoints again with today's code (after a change to prediction alone).
"""
import argparse
import copy
import glob
import json
import multiprocessing
import os
import os.path as osp
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Dict, List, Optional

import numpy as np
from mmengine.config import Config

from common import (ROOT, machine, markdown_table, relative, stock_config, with_epochs,
                    write_results)

# make_config keyword arguments of each config studied
CONFIGS = {
    'default': {},
    'whole': dict(crop='off'),
    'crop': dict(crop='on'),
    'msra': dict(codec='MSRA'),
    'rotate0': dict(rotate=0.0),
    'rotate30': dict(rotate=30.0),
    'rotate180': dict(rotate=180.0),
    'absent': dict(absent_weight=1.0),
    'half_epochs': dict(epochs_factor=0.5),
    'double_epochs': dict(epochs_factor=2.0),
    'long192': dict(long_side=192),
    # the whole frame at 384 for as many input pixels as the default's 256 schedule
    'long384': dict(long_side=384, epochs_factor=(256 / 384) ** 2),
    # 12 encoder base channels (the default: 8) for as many multiply-adds as the default's
    'wide12': dict(base_channels=12, epochs_factor=(8 / 12) ** 2),
    'rare_weight': dict(rare_weight=1.0),
    'rare_weight_sqrt': dict(rare_weight=0.5),
    # mmpose's SimpleBaseline-R18 over the default (common.stock_config), given the CPU time
    # of the default's schedule on the fold: both timed in the job, under the same load
    'stock': dict(stock=True),
    # at a fixed budget (where the stock model converges too): ours as `make_config
    # --minutes 72` writes it, the stock model with the epochs that fit the same minutes
    'minutes72': dict(minutes=72.0),
    'stock_minutes72': dict(stock=True, minutes=72.0),
}
# rare_weight(_sqrt): each keypoint's loss weight (the metainfo's joint_weights, which
# GenerateTarget applies) is the inverse of its share of the training instances that label it
# (to the power 1 or 0.5), at most this
RARE_WEIGHT_MAX = 4.0


def config_text(data_root: str, path: str, config: str) -> str:
    """make_config's text of ``config`` for a fold (``epochs_factor`` scales the default
    schedule's epochs)."""
    from mmpose_animal.data_tools.config_writer import make_config
    kwargs = dict(CONFIGS[config])
    planned = kwargs.pop('stock', False), kwargs.pop('minutes', None)
    if any(planned):  # run_job times these and plans their epochs (the mark keeps them apart)
        return make_config(data_root, path, **kwargs) + f'\n# {config}: {PLANNED_IN_JOB}\n'
    power = kwargs.pop('rare_weight', None)
    if power:
        metainfo = osp.join(data_root, 'metainfo.py')
        weighted = rare_weighted_metainfo(data_root, power)
        return make_config(data_root, path, **kwargs).replace(repr(metainfo), repr(weighted))
    factor = kwargs.pop('epochs_factor', None)
    if factor:
        epochs = Config.fromstring(make_config(data_root, path, **kwargs),
                                   '.py').train_cfg.max_epochs
        kwargs['max_epochs'] = max(1, round(epochs * factor))
    return make_config(data_root, path, **kwargs)


def rare_weighted_metainfo(data_root: str, power: float) -> str:
    """Write ``data_root/metainfo_rare_weight<power>.py``: the metainfo with each keypoint's
    joint weight the inverse of its labelled share of the training instances to ``power``
    (at most :data:`RARE_WEIGHT_MAX`); its path."""
    with open(osp.join(data_root, 'annotations', 'train.json')) as file:
        annotations = json.load(file)['annotations']
    visible = np.array([a['keypoints'][2::3] for a in annotations]) > 0
    share = np.maximum(visible.mean(0), 1e-6)
    weights = np.minimum((share.max() / share) ** power, RARE_WEIGHT_MAX)
    info = Config.fromfile(osp.join(data_root, 'metainfo.py')).dataset_info
    info['joint_weights'] = [round(float(w), 3) for w in weights]
    path = osp.join(data_root, f'metainfo_rare_weight{power:g}.py')
    with open(path, 'w') as file:
        file.write(f'dataset_info = {info.to_dict()!r}\n')
    return path


PLANNED_IN_JOB = 'epochs planned in the job for its CPU time (bench_cv.py)'


def planned_config(default: Config, data_root: str, path: str, work: str, seed: int,
                   stock: bool = False, minutes: Optional[float] = None) -> Config:
    """The config of a job whose epochs are planned here, timed now in ``work`` under the
    job's load: ours for ``minutes`` (what ``make_config --minutes`` writes), or mmpose's
    SimpleBaseline-R18 over ``default`` (``common.stock_config``) with the epochs that fit
    ``minutes`` or, without them, the CPU time of ``default``'s schedule."""
    from mmpose_animal.data_tools.budget_schedule import (epochs_for_seconds,
                                                          make_config_for_minutes,
                                                          time_training)
    from mmpose_animal.data_tools.config_writer import validation_interval
    if not stock:
        text, _, epochs = make_config_for_minutes(data_root, minutes, out_file=path)
        print(f'ours: {epochs} epochs for {minutes:g} minutes', flush=True)
        return Config.fromstring(text, '.py')
    budget = (minutes * 60 if minutes else
              time_training(default, osp.join(work, 'timing_default')).seconds(
                  default.train_cfg.max_epochs))
    stock_cfg = stock_config(default)
    epochs = epochs_for_seconds(time_training(stock_cfg, osp.join(work, 'timing_stock')), budget)
    print(f'stock: {epochs} epochs for {budget:.0f} s (the default: '
          f'{default.train_cfg.max_epochs})', flush=True)
    return with_epochs(stock_cfg, epochs, osp.join(work, 'train'), validation_interval(epochs),
                       seed)


SWING_AFTER = 0.2  # validation swings count after this share of the epochs


def parse_args() -> argparse.Namespace:
    from cv_sets import SETS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sets', nargs='+', default=list(SETS), choices=list(SETS))
    parser.add_argument('--configs', nargs='+', default=['default', 'whole'],
                        choices=list(CONFIGS))
    parser.add_argument('--folds', type=int, default=5)
    parser.add_argument('--only-folds', type=int, nargs='+',
                        help='run these folds only (e.g. 0 1 2 for a cheaper look)')
    parser.add_argument('--jobs', type=int, default=2, help='training processes at once')
    parser.add_argument('--threads', type=int, default=1, help='torch threads per process')
    parser.add_argument('--seed', type=int, default=0, help='training seed')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_cv'))
    parser.add_argument('--out', default='defaults', help='results name: cv_OUT.{json,md}')
    parser.add_argument('--report', action='store_true', help='only tabulate the results')
    parser.add_argument('--retest', action='store_true',
                        help='test the finished jobs\' checkpoints again with today\'s code '
                        '(a change to prediction only), then tabulate')
    return parser.parse_args()


def prepare_folds(name: str, work_dir: str, folds: int) -> List[str]:
    """Import set ``name`` once and write its fold folders (``annotations/`` of their own,
    the images and metainfo of the import linked); the fold folders, in order."""
    from cv_sets import BLOCK_FOLDS, SETS, fold_groups
    from mmpose_animal.fileio.labels import write_dataset
    base = osp.join(work_dir, name, 'import')
    fold_dirs = [osp.join(work_dir, name, f'fold{k}') for k in range(folds)]
    if all(osp.isfile(osp.join(d, 'annotations', 'test.json')) for d in fold_dirs):
        return fold_dirs
    builder = SETS[name]
    label_set = builder(osp.join(work_dir, name)) if name == 'synthetic-fly' else builder()
    write_dataset(label_set, base, link=True, seed=0, force=True)
    group_of = {}
    for frame in label_set.frames:
        group_of[frame.name] = frame.group if name in BLOCK_FOLDS else frame.name
        if isinstance(frame.image, str):
            group_of[osp.abspath(frame.image)] = group_of[frame.name]
    coco = {'images': [], 'annotations': []}
    for split in ('train', 'val', 'test'):
        with open(osp.join(base, 'annotations', f'{split}.json')) as file:
            part = json.load(file)
        offset = len(coco['images'])  # ids restart in each split file: renumber them
        new_id = {image['id']: offset + n + 1 for n, image in enumerate(part['images'])}
        coco['images'] += [dict(image, id=new_id[image['id']]) for image in part['images']]
        coco['annotations'] += [dict(a, image_id=new_id[a['image_id']],
                                     id=len(coco['annotations']) + n + 1)
                                for n, a in enumerate(part['annotations'])]
        coco['categories'] = part['categories']
    images = coco['images']
    groups = [group_of[image['file_name']] for image in images]
    fold_of = fold_groups(groups, folds, name in BLOCK_FOLDS)
    for k, fold_dir in enumerate(fold_dirs):
        rest = sorted({g for g, f in zip(groups, fold_of) if f != k})
        rng = np.random.default_rng(k)
        val_groups = set(rng.choice(rest, max(1, round(0.1 * len(rest))), replace=False))
        split_of = {}
        for image, group, fold in zip(images, groups, fold_of):
            split_of[image['id']] = ('test' if fold == k else
                                     'val' if group in val_groups else 'train')
        os.makedirs(osp.join(fold_dir, 'annotations'), exist_ok=True)
        for split in ('train', 'val', 'test'):
            chosen = {i for i, s in split_of.items() if s == split}
            with open(osp.join(fold_dir, 'annotations', f'{split}.json'), 'w') as file:
                json.dump(dict(images=[i for i in images if i['id'] in chosen],
                               annotations=[a for a in coco['annotations']
                                            if a['image_id'] in chosen],
                               categories=coco['categories']), file)
        for item in ('images', 'metainfo.py'):
            link = osp.join(fold_dir, item)
            if osp.exists(osp.join(base, item)) and not osp.lexists(link):
                os.symlink(osp.join(base, item), link)
    return fold_dirs


def val_swing(series: List[tuple], epochs: int) -> float:
    """The largest ratio of a validation EPE to the best one before it, after the first
    :data:`SWING_AFTER` of the epochs (1.0: never above the best)."""
    worst, best = 1.0, np.inf
    for epoch, value in series:
        if epoch > SWING_AFTER * epochs and np.isfinite(best):
            worst = max(worst, value / best)
        best = min(best, value)
    return float(worst)


def test_checkpoint(cfg, checkpoint: str, work_dir: str, flip_test: bool) -> dict:
    """Test metrics of ``checkpoint`` on the config's test split."""
    from mmengine.runner import Runner
    from mmpose_animal.cli import without_hooks
    from mmpose_animal.engine import stop_data_workers
    cfg = copy.deepcopy(cfg)
    without_hooks(cfg, 'EMAHook')
    cfg.load_from, cfg.work_dir = checkpoint, work_dir
    cfg.model.test_cfg.flip_test = flip_test
    runner = Runner.from_cfg(cfg)
    metrics = runner.test()
    stop_data_workers(runner)
    return {key: float(value) for key, value in metrics.items()}


def run_job(spec: dict) -> dict:
    """Train one config on one fold and test it; the result row (also written to
    ``spec['out']``)."""
    import torch
    torch.set_num_threads(spec['threads'])
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    import mmpose_animal  # noqa: F401  (registers the plugin)
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner
    from mmpose_animal.cli import read_scalars
    from mmpose_animal.engine import stop_data_workers
    init_default_scope('mmpose')
    work = spec['work']
    os.makedirs(work, exist_ok=True)
    path = osp.join(work, 'config.py')
    with open(path, 'w') as file:
        file.write(config_text(spec['data_root'], path, spec['config']))
    cfg = Config.fromfile(path)
    options = CONFIGS[spec['config']]
    if options.get('stock') or options.get('minutes'):
        cfg = planned_config(cfg, spec['data_root'], path, work, spec['seed'], **options)
        cfg.dump(path)  # what was trained: --retest reads it
    cfg.work_dir = osp.join(work, 'train')
    cfg.randomness = dict(seed=spec['seed'])
    start = time.perf_counter()
    runner = Runner.from_cfg(cfg)
    runner.train()
    seconds = time.perf_counter() - start
    stop_data_workers(runner)
    epochs = cfg.train_cfg.max_epochs
    _, val = read_scalars(osp.join(runner.log_dir, 'vis_data', 'scalars.json'))
    flip = bool(cfg.model.test_cfg.get('flip_test', False))
    row = dict(set=spec['set'], config=spec['config'], fold=spec['fold'],
               model=cfg.model.type, input_size=list(cfg.codec.input_size), epochs=epochs,
               iterations=runner.iter, train_seconds=seconds, flip_test=flip,
               **swings(val, epochs))
    return tested(cfg, work, row, spec['out'])


def swings(val: dict, epochs: int) -> dict:
    """The validation EPE history and its worst swing, and the same for the error over
    the points scoring at least the confidence cut (``dist/mean_pcutoff``: what a video's
    cut keeps), from a run's validation series (``read_scalars``)."""
    epe, pcutoff = val.get('EPE', []), val.get('dist/mean_pcutoff', [])
    return dict(val_epe=epe, val_swing=val_swing(epe, epochs), val_epe_pcutoff=pcutoff,
                val_swing_pcutoff=val_swing(pcutoff, epochs) if pcutoff else None)


def logged_pcutoff_swing(work: str, row: dict) -> dict:
    """The p-cutoff keys of :func:`swings` for a result written before they were: from the
    training log under ``work/train`` whose validation EPE is the row's (another run's log
    in the folder is not taken); None when no such log has the p-cutoff error."""
    from mmpose_animal.cli import read_scalars
    for log in glob.glob(osp.join(work, 'train', '*', 'vis_data', 'scalars.json')):
        val = read_scalars(log)[1]
        if [list(item) for item in val.get('EPE', [])] == row['val_epe']:
            found = swings(val, row['epochs'])
            return {key: found[key] for key in ('val_epe_pcutoff', 'val_swing_pcutoff')}
    return dict(val_epe_pcutoff=[], val_swing_pcutoff=None)


def tested(cfg, work: str, row: dict, out: str) -> dict:
    """``row`` with the test metrics of the job's last checkpoint (with its flip test and
    the other way round) and of its best-by-validation one; also written to ``out``."""
    flip = row['flip_test']
    last = osp.join(cfg.work_dir, f'epoch_{row["epochs"]}.pth')
    row.update(last=test_checkpoint(cfg, last, osp.join(work, 'test_last'), flip),
               last_other_flip=test_checkpoint(cfg, last, osp.join(work, 'test_flip'),
                                               not flip))
    best = sorted(f for f in os.listdir(cfg.work_dir) if f.startswith('best_'))
    if best:
        row['best'] = test_checkpoint(cfg, osp.join(cfg.work_dir, best[-1]),
                                      osp.join(work, 'test_best'), flip)
    with open(out, 'w') as file:
        json.dump(row, file, indent=1)
    return row


def retest_job(spec: dict) -> dict:
    """Test a finished job's checkpoints again with today's code (its training stays);
    the updated result row (also written to ``spec['out']``)."""
    import torch
    torch.set_num_threads(spec['threads'])
    import mmpose_animal  # noqa: F401  (registers the plugin)
    from mmengine.registry import init_default_scope
    init_default_scope('mmpose')
    with open(spec['out']) as file:
        row = json.load(file)
    work = spec['work']
    cfg = Config.fromfile(osp.join(work, 'config.py'))
    cfg.work_dir = osp.join(work, 'train')
    return tested(cfg, work, row, spec['out'])


def jobs_of(args: argparse.Namespace, fold_dirs: Dict[str, List[str]]) -> List[dict]:
    """One job per set, config and fold; a config whose text equals an earlier one's on
    the same fold (e.g. the default where it is the whole-frame model) is that job's alias
    (``same_as``), not trained twice."""
    specs = []
    for name in args.sets:
        for k, data_root in enumerate(fold_dirs[name]):
            if args.only_folds is not None and k not in args.only_folds:
                continue
            texts = {}
            for config in args.configs:
                text = config_text(data_root, 'config.py', config)
                work = osp.join(args.work_dir, name, config, f'fold{k}')
                same = texts.get(text)
                texts.setdefault(text, config)
                specs.append(dict(set=name, config=config, fold=k, data_root=data_root,
                                  work=work, same_as=same, threads=args.threads, seed=args.seed,
                                  out=osp.join(args.work_dir, name, same or config, f'fold{k}',
                                               'result.json')))
    return specs


def summary_rows(rows: List[dict]) -> List[list]:
    """One table row per set and config: EPE mean +- spread over folds, and the rest."""
    table = []
    keys = sorted({(r['set'], r['config']) for r in rows})
    for name, config in keys:
        runs = sorted((r for r in rows if (r['set'], r['config']) == (name, config)),
                      key=lambda r: r['fold'])
        epe = np.array([r['last']['EPE'] for r in runs])
        other = np.array([r['last_other_flip']['EPE'] for r in runs])
        best = np.array([r['best']['EPE'] for r in runs if 'best' in r])
        same = f' (= {runs[0]["same_as"]})' if runs[0].get('same_as') else ''
        table.append([name, config + same, runs[0]['model'].replace('PoseEstimator', ''),
                      'x'.join(map(str, runs[0]['input_size'])), len(runs),
                      f'{epe.mean():.2f} ± {epe.std():.2f}',
                      f'{np.median([r["last"]["dist/median"] for r in runs]):.2f}',
                      f'{best.mean():.2f}' if len(best) else '-',
                      f'{other.mean():.2f} ({"off" if runs[0]["flip_test"] else "on"})',
                      pcutoff_text([r['last'] for r in runs]),
                      f'{np.mean([r["train_seconds"] for r in runs]):.0f}',
                      f'{max(r["val_swing"] for r in runs):.2f}',
                      swing_text([r.get('val_swing_pcutoff') for r in runs])])
    return table


def pcutoff_text(tests: List[dict]) -> str:
    """The folds' mean test error over points above the confidence cut, the worst point kept
    and the share cut (``-`` when a fold was tested before the metric had them)."""
    if not all('dist/mean_pcutoff' in test for test in tests):
        return '-'
    return (f"{np.nanmean([t['dist/mean_pcutoff'] for t in tests]):.2f} "
            f"(worst {np.nanmax([t['dist/max_pcutoff'] for t in tests]):.0f}; "
            f"{100 * np.mean([t['dist/cut_share'] for t in tests]):.0f} % cut)")


def swing_text(swings: List[Optional[float]]) -> str:
    """The worst of the folds' p-cutoff validation swings (``-`` without every fold's)."""
    return '-' if None in swings else f'{max(swings):.2f}'


HEADERS = ['set', 'config', 'model', 'input', 'folds', 'test EPE (px), mean ± sd',
           'median dist', 'EPE, best-by-val ckpt', 'EPE, other flip test',
           'EPE with p-cutoff 0.3 (worst kept point; share cut)', 'train s', 'worst val swing',
           'worst val swing with p-cutoff 0.3']


def report(args: argparse.Namespace, rows: List[dict]) -> None:
    info = machine()
    table = markdown_table(HEADERS, summary_rows(rows))
    command = ' '.join(['python benchmarks/bench_cv.py', *sys.argv[1:]])
    markdown = (f'# Cross-validated defaults on real sets\n\n`{command}` on {info["cpu"]} '
                f'({info["cores"]} cores, {args.threads} torch thread(s) per job, '
                f'{args.jobs} jobs at once, torch {info["torch"]}). {args.folds}-fold '
                f'cross-validation over each set\'s labelled frames (benchmarks/cv_sets.py); '
                f'each config as make_config writes it, trained from scratch (seed '
                f'{args.seed}), its last checkpoint (averaged weights) tested on the fold\'s '
                f'test frames with boxes the model finds itself. Spread: standard deviation '
                f'over folds. Distances in original-image pixels.\n\n{table}\n')
    print('\n' + table)
    write_results(f'cv_{args.out}', dict(machine=info, command=command, rows=rows,
                                          work_dir=relative(args.work_dir)), markdown)


def main() -> None:
    args = parse_args()
    fold_dirs = {name: prepare_folds(name, args.work_dir, args.folds) for name in args.sets}
    specs = jobs_of(args, fold_dirs)
    todo = [s for s in specs if not osp.isfile(s['out']) and not s['same_as']]
    if args.retest:
        for spec in specs:
            if osp.isfile(spec['out']) and not spec['same_as']:
                row = retest_job(spec)
                print(f'retested {spec["set"]} {spec["config"]} fold {spec["fold"]}: EPE '
                      f'{row["last"]["EPE"]:.2f}', flush=True)
    elif not args.report and todo:
        print(f'{len(todo)} of {len(specs)} jobs to run', flush=True)
        context = multiprocessing.get_context('spawn')
        # a process per job: mmengine keeps one visualizer (and its log folder) per process
        with ProcessPoolExecutor(args.jobs, mp_context=context, max_tasks_per_child=1) as pool:
            futures = {pool.submit(run_job, spec): spec for spec in todo}
            for future in as_completed(futures):
                spec = futures[future]
                try:
                    row = future.result()
                    print(f'done {spec["set"]} {spec["config"]} fold {spec["fold"]}: EPE '
                          f'{row["last"]["EPE"]:.2f} in {row["train_seconds"]:.0f} s',
                          flush=True)
                except Exception as error:  # one failed job must not stop the others
                    trace = ''.join(traceback.format_exception(error))
                    print(f'FAILED {spec["set"]} {spec["config"]} fold {spec["fold"]}: '
                          f'{trace}', flush=True)
    rows = []
    for spec in specs:
        if osp.isfile(spec['out']):
            with open(spec['out']) as file:
                row = json.load(file)
            if 'val_swing_pcutoff' not in row:
                row.update(logged_pcutoff_swing(osp.dirname(spec['out']), row))
            rows.append(dict(row, config=spec['config'], same_as=spec['same_as']))
    if rows:
        report(args, rows)


if __name__ == '__main__':
    main()
