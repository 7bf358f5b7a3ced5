"""Draw samples of a config's dataset, raw and after its training pipeline, into PNGs.

    python tools/browse_dataset.py configs/unet_fly17.py --num 8 --out-dir browse/
"""
import argparse
import os
import os.path as osp
import sys

import cv2
from mmengine.registry import init_default_scope

from mmpose.registry import DATASETS
from mmpose_animal.cli import load_config
from mmpose_animal.visualization import draw_keypoints


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='config file')
    parser.add_argument('--split', choices=['train', 'val', 'test'], default='train',
                        help='which dataloader to browse')
    parser.add_argument('--num', type=int, default=8, help='number of samples')
    parser.add_argument('--out-dir', default='browse', help='folder of the PNGs')
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config)
    except FileNotFoundError as error:
        sys.exit(f'browse_dataset.py: error: {error}')
    init_default_scope(cfg.get('default_scope', 'mmpose'))
    dataset_cfg = cfg[f'{args.split}_dataloader'].dataset
    # everything before packing: images and keypoints as the model's input sees them
    pipeline = [t for t in dataset_cfg.pipeline if t['type'] != 'PackPoseInputs']
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=pipeline))
    os.makedirs(args.out_dir, exist_ok=True)
    for index in range(min(args.num, len(dataset))):
        raw = dataset.get_data_info(index)
        name = osp.splitext(osp.basename(raw['img_path']))[0]
        raw_image = cv2.imread(raw['img_path'], cv2.IMREAD_COLOR)
        cv2.imwrite(osp.join(args.out_dir, f'{index:03d}_{name}_raw.png'),
                    draw_keypoints(raw_image, raw['keypoints'][0], raw['keypoints_visible'][0],
                                   dataset.metainfo))
        sample = dataset[index]
        heatmaps = sample.get('heatmaps')
        cv2.imwrite(osp.join(args.out_dir, f'{index:03d}_{name}_{args.split}_pipeline.png'),
                    draw_keypoints(sample['img'], sample['transformed_keypoints'][0],
                                   sample['keypoints_visible'][0], dataset.metainfo,
                                   heatmap=heatmaps))
    print(f'{min(args.num, len(dataset))} samples x (raw, pipeline) -> {args.out_dir}')


if __name__ == '__main__':
    main()
