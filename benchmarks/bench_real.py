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

Writes benchmarks/results/real_openfield.{json,md} (and real_openfield_variants.* with
--variants: one more run of ours per variant, same epochs; ``noflip`` re-tests our default's
weights without flip test, ``coarse`` tests the crop-based default's first stage alone (the
whole frame, no second crop), ``whole`` trains the whole-frame model (make_config --crop off),
``seed1`` retrains the default with another seed: the run-to-run
noise the other differences must exceed; an encoder name, e.g. ``mobilenetv3``, puts that
config's encoder under the default's UNet head). ``--out`` names the study's results file.
"""
import argparse
import copy
import os.path as osp

import torch
from mmengine.config import Config

from common import (DEFAULT_SOURCE, HEADERS, ROOT, machine, markdown_table, ours_config,
                    prepare_dataset, read_rows, relative, run_and_data, stock_config, table_row,
                    test_row, train, train_and_test, with_epochs, write_results)

# make_config keyword arguments of each studied variant of our default
VARIANTS = {
    'msra': dict(codec='MSRA'),
    'msra_seed1': dict(codec='MSRA'),
    'dark': dict(codec='DARK'),
    'stride2': dict(output_stride=2),
    'sigma3': dict(sigma=3.0),
    'base16': dict(base_channels=16),
    'rotate180': dict(rotate=180.0),
    'long320': dict(long_side=320),
    'long192': dict(long_side=192),
    'whole': dict(crop='off'),
}
# encoders under the default's UNet head: backbone and head widths taken from these configs
ENCODERS = {
    'mobilenetv2': 'unet_mobilenetv2_fly17.py',
    'mobilenetv3': 'unet_mobilenetv3_fly17.py',
    'efficientnet_b0': 'unet_efficientnet_b0_fly17.py',
    'convnextv2_atto': 'unet_convnextv2_atto_fly17.py',
}
TRAINING_SEEDS = {'seed1': 1, 'msra_seed1': 1}  # retrained with another seed
# the default's weights, tested differently: (what changes, config options of the test);
# 'coarse' tests the crop model's first stage alone (whole frame, no second crop)
TEST_ONLY = {'noflip': ('flip test off', {'model.test_cfg.flip_test': False}),
             'coarse': ('coarse stage only: whole frame, no crop',
                        {'model.crop.refine_below': 1e-9})}
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
    parser.add_argument('--out', default='real_openfield_variants',
                        help='results name of the variant study (benchmarks/results/OUT.*)')
    parser.add_argument('--ours-from', metavar='JSON',
                        help='take the default\'s row from an earlier results file of this '
                        'script (same epochs, split and machine; one torch thread makes runs '
                        'bit-identical) instead of training it again; only with '
                        '--skip-baseline and trained variants')
    parser.add_argument('--threads', type=int, help='torch threads (default: torch\'s)')
    args = parser.parse_args()
    if args.ours_from and (not args.skip_baseline or set(args.variants or ()) & set(TEST_ONLY)):
        parser.error('--ours-from needs --skip-baseline and no test-only variant (noflip)')
    if args.threads:
        torch.set_num_threads(args.threads)
    return args







def with_encoder(cfg: Config, config_name: str) -> Config:
    """``cfg`` with the encoder of ``configs/config_name`` under its UNet head (the head's
    input and decoder widths follow that config)."""
    encoder = Config.fromfile(osp.join(ROOT, 'configs', config_name)).model
    cfg = copy.deepcopy(cfg)
    cfg.model.backbone = encoder.backbone
    cfg.model.head.update(in_channels=encoder.head.in_channels,
                          decoder_channels=encoder.head.decoder_channels)
    return cfg


def main() -> None:
    args = parse_args()
    data_root, sizes = prepare_dataset(args.source, args.work_dir)
    info = machine()

    ours_cfg = ours_config(data_root, args.work_dir, 'ours', args.epochs)
    crops = ours_cfg.model.type == 'CropTopdownPoseEstimator'
    boxes = ('crops around the animal found by the model itself (a whole-frame pass, then a '
             'crop), never label boxes' if crops else 'whole-frame box')
    protocol = (run_and_data(info, args.source, sizes) + f', 640x480, {boxes}, input '
                f'{tuple(ours_cfg.codec.input_size)}), from scratch, same pipeline and '
                f'schedule (warm-up over epoch 1, cosine); the final weights tested on the '
                f'test split with flip test. Distances in original-image pixels.')
    if args.ours_from:
        ours = dict(read_rows(args.ours_from)[0])
        ours['model'] += f', from {osp.basename(args.ours_from)}'
        protocol += (f' The first row was not trained again: it is the default\'s row of '
                     f'{relative(args.ours_from)}, same epochs.')
    else:
        ours_runner, ours_seconds = train(ours_cfg)
        ours = test_row(ours_runner, 'ours: UNetEncoder + UNetHeatmapHead (make_config '
                                     'default)', ours_seconds)
    results = [ours]
    if not args.skip_baseline:
        results += stock_rows(ours_cfg, ours, args)
    if not args.skip_baseline:
        ratios = dict(epe_equal_epochs=ours['EPE'] / results[1]['EPE'],
                      epe_equal_time=ours['EPE'] / results[2]['EPE'],
                      train_speed=results[1]['s_per_epoch'] / ours['s_per_epoch'])
        table = markdown_table(HEADERS, [table_row(r) for r in results])
        markdown = (f'# Real data: DeepLabCut Openfield (mouse, 4 keypoints)\n\n{protocol}\n\n'
                    f'{table}\n\nEPE ratio ours / SimpleBaseline-R18: '
                    f'**{ratios["epe_equal_epochs"]:.2f}** at equal epochs, '
                    f'**{ratios["epe_equal_time"]:.2f}** at equal wall-clock; ours trains '
                    f'**{ratios["train_speed"]:.1f}x** faster per epoch.\n\nContext, not '
                    f'comparable: {DLC_CONTEXT}\n')
        print('\n' + table + f'\n\nratios: {ratios}')
        write_results('real_openfield', dict(machine=info, protocol=protocol, splits=sizes,
                                             results=results, ratios=ratios), markdown)
    if args.variants:
        study = [ours]
        for name in args.variants:
            if name in TEST_ONLY:
                what, options = TEST_ONLY[name]
                study.append(test_row(ours_runner, f'ours, {name}: {what} (same weights)',
                                      ours_seconds, options))
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
