"""Convert the 32-point Vinegar Fly data (DeepPoseKit .h5 or mmpose COCO json) to fly17.

    python tools/dataset_converters/fly32_to_fly17.py annotation_data_release.h5 --out data/fly17
    python tools/dataset_converters/fly32_to_fly17.py data/fly/annotations/fly_train.json \
        --image-root data/fly/images --out data/fly17
"""
import argparse
import sys

from tqdm import tqdm

from mmpose_animal.data_tools import convert_fly32_to_fly17, fly17_names


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('source', help='DeepPoseKit .h5/.hdf5 or 32-point COCO .json')
    parser.add_argument('--out', required=True, help='output folder, e.g. data/fly17')
    parser.add_argument('--image-root', help='image folder of a json input')
    parser.add_argument('--ratios', type=float, nargs=3, default=(0.8, 0.1, 0.1),
                        metavar=('TRAIN', 'VAL', 'TEST'), help='split fractions')
    parser.add_argument('--seed', type=int, default=0, help='seed of the split')
    parser.add_argument('--ignore-annotated-flags', action='store_true',
                        help='DeepPoseKit: take coordinates as labels where annotated=False')
    parser.add_argument('--force', action='store_true', help='replace existing output')
    args = parser.parse_args(argv)
    try:
        written, counts = convert_fly32_to_fly17(
            args.source, args.out, image_root=args.image_root, ratios=args.ratios,
            seed=args.seed, force=args.force,
            progress=lambda items: tqdm(items, desc='frames', unit='img'),
            ignore_annotated_flags=args.ignore_annotated_flags)
    except (FileExistsError, FileNotFoundError, KeyError, ValueError) as error:
        sys.exit(f'fly32_to_fly17.py: error: {error}')
    for name, path in written.items():
        print(f'{name}: {path}')
    print('labelled points per keypoint:')
    print(f'{"":<10}' + ''.join(f'{split:>7}' for split in counts))
    for k, keypoint in enumerate(fly17_names()):
        print(f'{keypoint:<10}' + ''.join(f'{counts[split][k]:>7}' for split in counts))


if __name__ == '__main__':
    main()
