"""Generate synthetic data whose keypoints are exactly known (the embedded default).

    python tools/make_synthetic_data.py fly17 --out data/fly17 --num 1000 --seed 0
    python tools/make_synthetic_data.py petnose --out data/petnose --num 600 --seed 0
"""
import argparse
import sys

from tqdm import tqdm

from mmpose_animal.data_tools import make_synthetic_fly17, make_synthetic_petnose


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dataset', choices=['fly17', 'petnose'])
    parser.add_argument('--out', required=True, help='output folder, e.g. data/fly17')
    parser.add_argument('--num', type=int, default=1000, help='number of images')
    parser.add_argument('--seed', type=int, default=0, help='same seed, same files')
    parser.add_argument('--force', action='store_true', help='replace existing output')
    args = parser.parse_args(argv)

    progress = lambda items: tqdm(items, desc=f'{args.dataset} images', unit='img')  # noqa: E731
    make = make_synthetic_fly17 if args.dataset == 'fly17' else make_synthetic_petnose
    try:
        written = make(args.out, args.num, seed=args.seed, force=args.force, progress=progress)
    except (FileExistsError, ValueError) as error:
        sys.exit(f'make_synthetic_data.py: error: {error}')
    for name, path in written.items():
        print(f'{name}: {path}')


if __name__ == '__main__':
    main()
