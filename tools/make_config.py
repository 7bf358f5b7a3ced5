"""Write a ready UNet training config for a dataset made by import_labels.py.

    python tools/dataset_converters/import_labels.py path/to/dlc-project --out data/mouse
    python tools/make_config.py data/mouse --out configs/mouse.py [--minutes 10]
    python tools/train.py configs/mouse.py
"""
import argparse
import os
import os.path as osp
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from mmengine.config import Config

from mmpose_animal.data_tools.budget_schedule import PROBE_EPOCHS, make_config_for_minutes
from mmpose_animal.data_tools.config_writer import CODECS, CROP_MODES, make_config

FLIP_TEST = {'auto': None, 'on': True, 'off': False}  # make_config's flip_test


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_root', help='folder written by import_labels.py')
    parser.add_argument('--out', required=True, help='config file to write')
    parser.add_argument('--long-side', type=int,
                        help='input size of the long box side (px; a multiple of 32; default '
                        '256 on whole frames, about the crop\'s size on crops)')
    parser.add_argument('--crop', choices=CROP_MODES, default='auto',
                        help='train on crops around the animal, which the model then finds '
                        'itself (auto: when the animal spans < 40%% of the frame)')
    parser.add_argument('--base-channels', type=int, default=8,
                        help='channels of the UNet encoder\'s first level')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--lr', type=float, default=2e-3, help='peak learning rate (Adam)')
    length = parser.add_mutually_exclusive_group()
    length.add_argument('--epochs', type=int,
                        help='epochs (default: ~3,000 iterations, 30 to 300 epochs; on crops '
                        '~3,600, up to 600; ~1,800 with several animals)')
    length.add_argument('--minutes', type=float,
                        help='train the default model for as many epochs as fit M minutes on '
                        'this machine (timed here with a short run first)')
    parser.add_argument('--rotate', type=float,
                        help='random rotation range, degrees (default: 30 for whole-frame '
                        'boxes, 180 for boxes around the animal)')
    parser.add_argument('--sigma', type=float, default=2.0, help='heatmap Gaussian sigma')
    parser.add_argument('--codec', choices=CODECS, default='UDP')
    parser.add_argument('--output-stride', type=int, choices=(4, 2), default=4,
                        help='input pixels per heatmap pixel')
    parser.add_argument('--flip-test', choices=('auto', 'on', 'off'), default='auto',
                        help='average with the flipped image at test time (auto: on where '
                        'left / right pairs allow it, off for several animals; off: about '
                        'twice the frames/s)')
    parser.add_argument('--load-from', help='start from this checkpoint (same encoder and '
                        'decoder widths, e.g. a pre-training on synthetic data)')
    parser.add_argument('--freeze-epochs', type=int, default=0,
                        help='with --load-from: epochs with the encoder frozen')
    parser.add_argument('--no-ema', action='store_true',
                        help='no weight averaging: validate, save and test the raw weights')
    parser.add_argument('--num-animals', type=int,
                        help='several animals: the most the model finds in a frame (default: '
                        'the most labelled in a training frame)')
    parser.add_argument('--force', action='store_true', help='replace an existing --out')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if osp.exists(args.out) and not args.force:
        sys.exit(f'make_config.py: error: {args.out} exists; pass --force to replace it')
    options = dict(long_side=args.long_side, base_channels=args.base_channels,
                   batch_size=args.batch_size, lr=args.lr, rotate=args.rotate, sigma=args.sigma,
                   codec=args.codec, flip_test=FLIP_TEST[args.flip_test],
                   output_stride=args.output_stride, load_from=args.load_from,
                   freeze_epochs=args.freeze_epochs, crop=args.crop, ema=not args.no_ema,
                   num_animals=args.num_animals)
    try:
        if args.minutes is None:
            text = make_config(args.data_root, args.out, max_epochs=args.epochs, **options)
        else:
            print(f'timing {PROBE_EPOCHS} epochs of the default here to fit {args.minutes:g} '
                  f'minutes ...')
            text, timing, epochs = make_config_for_minutes(args.data_root, args.minutes,
                                                           args.out, **options)
            print(f'{epochs} epochs: about {timing.seconds(epochs) / 60:.1f} minutes '
                  f'({timing.epoch:.2f} s per epoch, {timing.validation:.2f} s per validation, '
                  f'{timing.startup:.0f} s start-up)')
    except (FileNotFoundError, ValueError) as error:
        sys.exit(f'make_config.py: error: {error}')
    if osp.dirname(args.out):
        os.makedirs(osp.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as file:
        file.write(text)
    cfg = Config.fromfile(args.out)  # the written file parses as an mmengine config
    crops = {'MultiAnimalPoseEstimator': f'up to {cfg.model.get("num_animals")} animals a '
             f'frame, each found by the model itself, then its crop',
             'CropTopdownPoseEstimator': 'crops around the animal, found by the model itself'
             }.get(cfg.model.type, 'whole boxes')
    print(f'written: {args.out} ({crops}; input {cfg.codec.input_size}, heatmaps '
          f'{cfg.codec.heatmap_size}, {cfg.train_cfg.max_epochs} epochs)')
    print(f'next: python tools/train.py {args.out}')


if __name__ == '__main__':
    main()
