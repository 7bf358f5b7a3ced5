"""Convert a pet-noses label file (train_noses.txt style) to COCO json.

    python tools/dataset_converters/petnose_to_coco.py data/petnose/train_noses.txt \
        --image-dir data/petnose/images --out data/petnose/annotations/petnose_train.json
"""
import argparse
import os
import os.path as osp
import sys

from mmpose_animal.data_tools import convert_petnose_to_coco


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('label_file', help='e.g. train_noses.txt')
    parser.add_argument('--image-dir', required=True, help='folder of the images')
    parser.add_argument('--out', required=True, help='json file to write')
    parser.add_argument('--force', action='store_true', help='replace an existing file')
    args = parser.parse_args(argv)
    if osp.dirname(args.out):
        os.makedirs(osp.dirname(args.out), exist_ok=True)
    try:
        num = convert_petnose_to_coco(args.label_file, args.image_dir, args.out, args.force)
    except (FileExistsError, FileNotFoundError, ValueError) as error:
        sys.exit(f'petnose_to_coco.py: error: {error}')
    print(f'{num} images -> {args.out}')


if __name__ == '__main__':
    main()
