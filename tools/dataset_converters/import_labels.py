"""Import keypoint labels (DeepLabCut, SLEAP, DeepPoseKit, COCO) as an mmpose dataset.

    python tools/dataset_converters/import_labels.py path/to/dlc-project --out data/mouse
    python tools/dataset_converters/import_labels.py labels.v001.pkg.slp --out data/flies \
        --split-by video --bbox keypoints
    python tools/make_config.py data/mouse --out configs/mouse.py      # then tools/train.py
"""
import argparse
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from tqdm import tqdm

from mmpose_animal.fileio.labels import (FORMATS, LABEL_FORMATS, parse_flip_pairs,
                                                   read_labels, write_dataset)
from mmpose_animal.fileio.labels.write_dataset import BBOX_MODES, SPLIT_BY


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('source', help='; '.join(f'{f.name}: {f.description}'
                                                 for f in LABEL_FORMATS))
    parser.add_argument('--out', required=True, help='dataset folder to create')
    parser.add_argument('--format', choices=FORMATS, help='source format (default: detected)')
    parser.add_argument('--ratios', type=float, nargs=3, default=(0.8, 0.1, 0.1),
                        metavar=('TRAIN', 'VAL', 'TEST'), help='split fractions')
    parser.add_argument('--seed', type=int, default=0, help='seed of the split')
    parser.add_argument('--split-by', choices=SPLIT_BY, default='frame',
                        help='video: frames of one video / session folder stay in one split')
    parser.add_argument('--link', action='store_true',
                        help='reference image files in place instead of copying them')
    parser.add_argument('--bbox', choices=BBOX_MODES, default='auto',
                        help='image: whole frame (one animal); keypoints: padded box of '
                        'each animal (several per frame); auto: image when every frame has '
                        'one animal')
    parser.add_argument('--flip-pairs', nargs='+', metavar='LEFT:RIGHT',
                        help='left/right keypoints, by name or index (default: from the '
                        'source, else from left/right names)')
    for label_format in LABEL_FORMATS:  # each format's own options
        for option in label_format.options:
            kind = dict(action='store_true') if option.is_flag else dict(nargs=option.nargs)
            parser.add_argument(option.flag, help=f'{label_format.name}: {option.help}', **kind)
    parser.add_argument('--force', action='store_true', help='replace an existing --out')
    parser.add_argument('--update', action='store_true',
                        help='--out is an earlier import of this source that gained frames: '
                        'earlier frames keep their split (test stays test), new frames go to '
                        'train')
    parser.add_argument('--split-new', action='store_true',
                        help='with --update: split the new frames by --ratios instead')
    args = parser.parse_args(argv)
    if args.split_new and not args.update:
        parser.error('--split-new goes with --update')
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        options = {option.name: getattr(args, option.name)
                   for label_format in LABEL_FORMATS for option in label_format.options}
        label_set = read_labels(args.source, args.format, **options)
        pairs = (parse_flip_pairs(args.flip_pairs, label_set.keypoint_names)
                 if args.flip_pairs else None)
        summary = write_dataset(
            label_set, args.out, ratios=args.ratios, seed=args.seed, split_by=args.split_by,
            link=args.link, bbox=args.bbox, flip_pairs=pairs, force=args.force,
            update=args.update, split_new=args.split_new,
            progress=lambda frames: tqdm(frames, desc='frames', unit='frame'))
    except (FileExistsError, FileNotFoundError, KeyError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) else error
        sys.exit(f'import_labels.py: error: {message}')
    names = summary.keypoint_names
    print(f'{len(names)} keypoints: {", ".join(names)}')
    shown = ', '.join(f'{names[a]} <-> {names[b]}' for a, b in summary.flip_pairs) or 'none'
    print(f'flip pairs (from {summary.flip_source}; check them): {shown}')
    for note in summary.notes:
        print(f'note: {note}')
    print(summary.table())
    print(f'written: {summary.out_dir} (annotations/, metainfo.py, import_summary.json)')
    print(f'next: python tools/make_config.py {args.out} --out configs/<name>.py')


if __name__ == '__main__':
    main()
