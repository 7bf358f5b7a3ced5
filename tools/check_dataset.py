"""Check a config's datasets before training: build train / val / test, decode every image.

    python tools/check_dataset.py configs/unet_fly17.py [--workers 8]

Lists every problem at once (label errors per split, then every image that does not decode,
with its annotation id or label line) and exits non-zero if there is any.
"""
import argparse
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from mmengine.utils import import_modules_from_strings
from tqdm import tqdm

from mmpose.registry import DATASETS
from mmpose_animal.datasets.image_checks import describe, find_bad_images
from mmpose_animal.cli import load_config

SPLITS = ('train', 'val', 'test')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file')
    parser.add_argument('--workers', type=int, default=4, help='decoding threads')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        metavar='KEY=VALUE', help='override config keys that exist')
    return parser.parse_args(argv)


def check_split(cfg, split: str, workers: int) -> list:
    """Problems of one split's dataset (empty when it is fine)."""
    loader = cfg.get(f'{split}_dataloader')
    if not loader:
        return []
    dataset_cfg = dict(loader['dataset'], pipeline=[])
    try:
        dataset = DATASETS.build(dataset_cfg)
    except (ValueError, FileNotFoundError, KeyError, AssertionError) as error:
        return [f'{split}: the labels do not load: {error}']
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    bad = find_bad_images([info['img_path'] for info in infos], workers=workers,
                          progress=lambda results, total: tqdm(
                              results, total=total, desc=f'{split} images', unit='img'))
    source = getattr(dataset, 'ann_file', split)
    problems = [f'{split}: {describe(info, source)}: image {info["img_path"]} '
                f'{bad[info["img_path"]]}' for info in infos if info['img_path'] in bad]
    print(f'{split}: {len(dataset)} samples, {len(set(i["img_path"] for i in infos))} images, '
          f'{len(problems)} problem(s)')
    return problems


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        cfg = load_config(args.config, args.cfg_options)
    except (FileNotFoundError, KeyError) as error:
        sys.exit(f'check_dataset.py: error: {error}')
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    init_default_scope(cfg.get('default_scope', 'mmpose'))
    problems = [p for split in SPLITS for p in check_split(cfg, split, args.workers)]
    if problems:
        print(f'\n{len(problems)} problem(s):', *problems, sep='\n  ')
        sys.exit(1)
    print('no problem found')


if __name__ == '__main__':
    main()
