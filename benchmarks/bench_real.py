"""Real animals: our default UNet config vs mmpose's SimpleBaseline on DeepLabCut's Openfield.

The real example project in ../shared/data/dlc-openfield (116 labelled 640x480 mouse frames,
4 keypoints) is imported with tools/dataset_converters/import_labels.py's logic (split by seed
0: 80 % train / 10 % val / 10 % test, whole-frame boxes), configured with
tools/make_config.py's defaults, and trained from scratch, one model after the other:

- ours at E epochs; SimpleBaseline ResNet-18 (mmpose's HeatmapHead, its Adam 5e-4 recipe) at
  the same E epochs (equal epochs);
- SimpleBaseline again at equal wall-clock: as many epochs as fit in our training time (its
  schedule shortened to them, so it ends its cosine decay too).

The final weights are tested on the test split (never seen in training), flip test on: EPE,
RMSE, median, p95 and max distance in original-image pixels, PCK@0.2, AUC.

    python benchmarks/bench_real.py [--epochs 100] [--variants dark stride2 ...]

Writes benchmarks/results/real_openfield.{json,md} (and real_openfield_study.* with
--variants: one more run of ours per variant, same epochs; ``noflip`` re-tests our default's
weights without flip test, ``seed1`` retrains the default with another seed: the run-to-run
noise the other differences must exceed; an encoder name, e.g. ``mobilenetv3``, puts that
config's encoder under the default's UNet head). ``--out`` names the study's results file.
"""
import argparse
import copy
import json
import os
import os.path as osp
import sys
import time
from typing import Tuple

import torch

from mmengine.config import Config
from mmengine.runner import Runner

from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.data_tools.label_import import read_labels, write_dataset
from common import machine, markdown_table, write_results

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_SOURCE = osp.join(osp.dirname(ROOT), 'shared', 'data', 'dlc-openfield')
# make_config keyword arguments of each studied variant of our default
VARIANTS = {
    'dark': dict(codec='DARK'),
    'udp': dict(codec='UDP'),  # udp*: measured while MSRA was the default; UDP is now
    'udp_seed1': dict(codec='UDP'),
    'msra': dict(codec='MSRA'),
    'stride2': dict(output_stride=2),
    'sigma3': dict(sigma=3.0),
    'base16': dict(base_channels=16),
    'rotate30': dict(rotate=30.0),
    'rotate180': dict(rotate=180.0),
    'long320': dict(long_side=320),
    'long192': dict(long_side=192),
}
# encoders under the default's UNet head: backbone and head widths taken from these configs
ENCODERS = {
    'mobilenetv2': 'unet_mobilenetv2_fly17.py',
    'mobilenetv3': 'unet_mobilenetv3_fly17.py',
    'efficientnet_b0': 'unet_efficientnet_b0_fly17.py',
    'convnextv2_atto': 'unet_convnextv2_atto_fly17.py',
}
TRAINING_SEEDS = {'seed1': 1, 'udp_seed1': 1}  # retrained with another seed
TEST_ONLY = {'noflip': dict(flip_test=False)}  # the default's weights, tested differently
DLC_CONTEXT = ('DeepLabCut 3.0 release notes, full Openfield dataset (Mathis et al. 2018), GPU, '
               'ImageNet-pretrained: test RMSE about 2.0 px (ResNet-50, PyTorch), 2.4 px '
               '(HRNet-w32), 3.1 px (ResNet-50, TensorFlow). Other conditions: a larger '
               'training set, pretrained weights, full-resolution input.')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--source', default=DEFAULT_SOURCE, help='DeepLabCut project')
    parser.add_argument('--epochs', type=int, default=100, help='epochs of the equal-epoch runs')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_real'))
    parser.add_argument('--variants', nargs='*', default=None,
                        choices=sorted({*VARIANTS, *ENCODERS, *TRAINING_SEEDS, *TEST_ONLY}),
                        help='also train these variants of ours (a study of the defaults)')
    parser.add_argument('--skip-baseline', action='store_true',
                        help='only ours (and the variants): no SimpleBaseline runs')
    parser.add_argument('--out', default='real_openfield_study',
                        help='results name of the variant study (benchmarks/results/OUT.*)')
    parser.add_argument('--ours-from', metavar='JSON',
                        help='take the default\'s row from an earlier results file of this '
                        'script (same epochs, split and machine; one torch thread makes runs '
                        'bit-identical) instead of training it again; only with '
                        '--skip-baseline and trained variants')
    parser.add_argument('--threads', type=int, help='torch threads (default: torch\'s)')
    parser.add_argument('--baseline-from', metavar='JSON',
                        help='take the SimpleBaseline rows from an earlier results file of '
                        'this script (same split and machine) instead of training them again')
    args = parser.parse_args()
    if args.ours_from and (not args.skip_baseline or set(args.variants or ()) & set(TEST_ONLY)):
        parser.error('--ours-from needs --skip-baseline and no test-only variant (noflip)')
    if args.threads:
        torch.set_num_threads(args.threads)
    return args


def run_and_data(info: dict, source: str, sizes: dict) -> str:
    """The start of a protocol line: the command, the machine and the imported split."""
    command = ' '.join([f'python benchmarks/{osp.basename(sys.argv[0])}', *sys.argv[1:]])
    return (f'`{command}` on {info["cpu"]} ({info["cores"]} cores, {info["torch_threads"]} '
            f'torch threads, torch {info["torch"]}, CUDA {"yes" if info["cuda"] else "no"}). '
            f'Data: {source} imported with seed 0 ({sizes["train"]} train / {sizes["val"]} val '
            f'/ {sizes["test"]} test frames')


def prepare_dataset(source: str, work_dir: str) -> Tuple[str, dict]:
    """Import ``source`` into ``work_dir/dataset`` (seed 0, images linked); the folder and
    the frames per split."""
    data_root = osp.join(work_dir, 'dataset')
    summary = write_dataset(read_labels(source), data_root, link=True, seed=0, force=True)
    return data_root, {split: s['frames'] for split, s in summary.splits.items()}


def ours_config(data_root: str, work_dir: str, name: str, epochs: int, **kwargs) -> Config:
    """make_config's config for ``data_root`` (``kwargs`` change its defaults), written to
    ``work_dir/name.py`` and set to train for ``epochs``."""
    path = osp.join(work_dir, f'{name}.py')
    with open(path, 'w') as file:
        file.write(make_config(data_root, path, **kwargs))
    return with_epochs(Config.fromfile(path), epochs, osp.join(work_dir, name))


def stock_config(ours: Config) -> Config:
    """Our config with mmpose's SimpleBaseline ResNet-18 + HeatmapHead, Adam 5e-4."""
    cfg = copy.deepcopy(ours)
    cfg.model.backbone = dict(type='ResNet', depth=18)
    cfg.model.head = dict(type='HeatmapHead', in_channels=512,
                          out_channels=ours.model.head.out_channels,
                          loss=dict(type='KeypointMSELoss', use_target_weight=True),
                          decoder=ours.codec)
    cfg.optim_wrapper.optimizer.lr = 5e-4
    return cfg


def with_epochs(cfg: Config, epochs: int, work_dir: str) -> Config:
    """``cfg`` trained for exactly ``epochs`` (warm-up in epoch 1, cosine to the end), no
    early stopping, no validation or checkpoints during training (the final weights are
    tested)."""
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = work_dir
    cfg.train_cfg = dict(by_epoch=True, max_epochs=epochs, val_interval=10 * epochs)
    cfg.param_scheduler[-1].update(begin=0, end=epochs, T_max=epochs)  # the cosine
    cfg.custom_hooks = [h for h in cfg.custom_hooks if h['type'] != 'EarlyStoppingHook']
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=10 * epochs,
                                        save_last=False)
    cfg.randomness = dict(seed=0)
    return cfg


def with_encoder(cfg: Config, config_name: str) -> Config:
    """``cfg`` with the encoder of ``configs/config_name`` under its UNet head (the head's
    input and decoder widths follow that config)."""
    encoder = Config.fromfile(osp.join(ROOT, 'configs', config_name)).model
    cfg = copy.deepcopy(cfg)
    cfg.model.backbone = encoder.backbone
    cfg.model.head.update(in_channels=encoder.head.in_channels,
                          decoder_channels=encoder.head.decoder_channels)
    return cfg


def train(cfg: Config) -> Tuple[Runner, float]:
    """Train ``cfg``; the runner and the training seconds."""
    runner = Runner.from_cfg(cfg)
    start = time.perf_counter()
    runner.train()
    return runner, time.perf_counter() - start


def test_row(runner: Runner, name: str, seconds: float) -> dict:
    """Test ``runner``'s current weights; a result row with its training time."""
    metrics = {key: float(value) for key, value in runner.test().items()}
    images = runner.epoch * len(runner.train_dataloader.dataset)
    row = dict(model=name, epochs=runner.epoch, iterations=runner.iter, train_seconds=seconds,
               train_img_s=images / seconds, s_per_epoch=seconds / runner.epoch, **metrics)
    print(f'{name}: {row}', flush=True)
    return row


def train_and_test(cfg: Config, name: str) -> dict:
    """Train ``cfg``, test its final weights; times and metrics."""
    runner, seconds = train(cfg)
    return test_row(runner, name, seconds)


HEADERS = ['model', 'epochs', 'train s', 'train img/s', 'EPE (px)', 'RMSE (px)',
           'median (px)', 'p95 (px)', 'max (px)', 'PCK@0.2', 'AUC']


def table_row(row: dict) -> list:
    return [row['model'], row['epochs'], row['train_seconds'], row['train_img_s'], row['EPE'],
            row['dist/rmse'], row['dist/median'], row['dist/p95'], row['dist/max'],
            row['PCK'], row['AUC']]


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    data_root, sizes = prepare_dataset(args.source, args.work_dir)
    info = machine()

    ours_cfg = ours_config(data_root, args.work_dir, 'ours', args.epochs)
    protocol = (run_and_data(info, args.source, sizes) + f', 640x480, whole-frame box, input '
                f'{tuple(ours_cfg.codec.input_size)}), from scratch, same pipeline and '
                f'schedule (warm-up over epoch 1, cosine); the final weights tested on the '
                f'test split with flip test. Distances in original-image pixels.')
    if args.ours_from:
        with open(args.ours_from) as file:
            ours = dict(json.load(file)['results'][0])
        ours['model'] += f', from {osp.basename(args.ours_from)}'
        protocol += (f' The first row was not trained again: it is the default\'s row of '
                     f'{args.ours_from}, same epochs.')
    else:
        ours_runner, ours_seconds = train(ours_cfg)
        ours = test_row(ours_runner, 'ours: UNetEncoder + UNetHeatmapHead (make_config '
                                     'default)', ours_seconds)
    results = [ours]
    if args.baseline_from:
        with open(args.baseline_from) as file:
            earlier = json.load(file)
        previous, *stock = [r for r in earlier['results'] if r['model'].startswith(
            ('ours:', 'SimpleBaseline'))]
        results += stock + [dict(previous, model=f'{previous["model"]}, earlier run')]
        protocol += (f' The other rows come from the earlier run in {args.baseline_from} '
                     f'(`{earlier["protocol"].split("`")[1]}`; the equal wall-clock row had its '
                     f'budget), whose pipeline may differ from today\'s default: compare '
                     f'like with like.')
    elif not args.skip_baseline:
        results += stock_rows(ours_cfg, ours, args)
    if args.baseline_from or not args.skip_baseline:
        ratios = dict(epe_equal_epochs=ours['EPE'] / results[1]['EPE'],
                      epe_equal_time=ours['EPE'] / results[2]['EPE'],
                      train_speed=results[1]['s_per_epoch'] / ours['s_per_epoch'])
        if args.baseline_from:  # the earlier ours against the stock rows of its own run
            ratios['epe_equal_epochs_earlier_ours'] = results[3]['EPE'] / results[1]['EPE']
            # speed only within one run: the machine's load differs between runs
            ratios['train_speed'] = results[1]['s_per_epoch'] / results[3]['s_per_epoch']
        table = markdown_table(HEADERS, [table_row(r) for r in results])
        markdown = (f'# Real data: DeepLabCut Openfield (mouse, 4 keypoints)\n\n{protocol}\n\n'
                    f'{table}\n\nEPE ratio ours / SimpleBaseline-R18: '
                    f'**{ratios["epe_equal_epochs"]:.2f}** at equal epochs, '
                    f'**{ratios["epe_equal_time"]:.2f}** at equal wall-clock (goal <= 0.7); '
                    f'ours trains **{ratios["train_speed"]:.1f}x** faster per epoch (goal >= '
                    f'2x).{like_with_like(ratios)}\n\nContext, not comparable: {DLC_CONTEXT}\n')
        print('\n' + table + f'\n\nratios: {ratios}')
        write_results('real_openfield', dict(machine=info, protocol=protocol, splits=sizes,
                                             results=results, ratios=ratios), markdown)
    if args.variants:
        study = [ours]
        for name in args.variants:
            if name in TEST_ONLY:
                ours_runner.model.test_cfg.update(TEST_ONLY[name])
                study.append(test_row(ours_runner, f'ours, {name}: {TEST_ONLY[name]} (same '
                                                   f'weights)', ours_seconds))
                ours_runner.model.test_cfg.update(flip_test=True)
                write_study(study, protocol, info, args.out)
                continue
            cfg = ours_config(data_root, args.work_dir, name, args.epochs,
                              **VARIANTS.get(name, {}))
            cfg.randomness.seed = TRAINING_SEEDS.get(name, 0)
            label = dict(VARIANTS.get(name, {}), **({'seed': cfg.randomness.seed}
                                                     if cfg.randomness.seed else {}))
            if name in ENCODERS:
                cfg = with_encoder(cfg, ENCODERS[name])
                label = f'encoder of {ENCODERS[name]} ({cfg.model.backbone.type})'
            study.append(train_and_test(cfg, f'ours, {name}: {label}'))
            write_study(study, protocol, info, args.out)  # after each run: can be cut


def write_study(study: list, protocol: str, info: dict, name: str) -> None:
    """Write the variant study's table (results/NAME.*)."""
    table = markdown_table(HEADERS, [table_row(r) for r in study])
    markdown = (f'# Real data: variants of our default (Openfield)\n\n{protocol} Each row '
                f'changes one thing of the default (first row).\n\n{table}\n')
    print('\n' + table)
    write_results(name, dict(machine=info, protocol=protocol, results=study), markdown)


def like_with_like(ratios: dict) -> str:
    """The sentence on the earlier run's own ratio, when its rows were reused."""
    if 'epe_equal_epochs_earlier_ours' not in ratios:
        return ''
    return (f' Within the earlier run (one pipeline for both models): EPE ratio '
            f'**{ratios["epe_equal_epochs_earlier_ours"]:.2f}** at equal epochs; the speed '
            f'ratio above is from that run too.')


def stock_rows(ours_cfg: Config, ours: dict, args: argparse.Namespace) -> list:
    """SimpleBaseline-R18 at our epochs and at our wall-clock (its epochs that fit)."""
    stock = stock_config(ours_cfg)
    equal_epochs = train_and_test(with_epochs(stock, args.epochs, osp.join(
        args.work_dir, 'stock_equal_epochs')), 'SimpleBaseline R18 (mmpose), equal epochs')
    fit = max(1, int(ours['train_seconds'] / equal_epochs['s_per_epoch']))
    equal_time = train_and_test(with_epochs(stock, fit, osp.join(
        args.work_dir, 'stock_equal_time')), 'SimpleBaseline R18 (mmpose), equal wall-clock')
    return [equal_epochs, equal_time]


if __name__ == '__main__':
    main()
