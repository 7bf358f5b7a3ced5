import json
import os.path as osp
import shutil

import numpy as np
import pytest

from mmpose.datasets.transforms import LoadImage  # noqa: F401  (registers the transforms)
from mmpose.registry import DATASETS
from mmpose_animal.datasets import Fly17Dataset

NAMES = ['head', 'thorax', 'abdomen', 'wingL', 'wingR', 'forelegL2', 'forelegL4',
         'forelegR2', 'forelegR4', 'midlegL2', 'midlegL4', 'midlegR2', 'midlegR4',
         'hindlegL2', 'hindlegL4', 'hindlegR2', 'hindlegR4']


def build(root, ann_file='annotations/fly17_train.json', pipeline=()):
    return Fly17Dataset(ann_file=ann_file, data_root=root, data_prefix=dict(img='images/'),
                        pipeline=list(pipeline))


def test_metainfo_names_order_and_flip_pairs(fly17_root):
    meta = build(fly17_root).metainfo
    assert meta['num_keypoints'] == 17
    assert [meta['keypoint_id2name'][i] for i in range(17)] == NAMES
    flip = meta['flip_indices']
    assert [flip[i] for i in flip] == list(range(17))  # an involution
    for i, name in enumerate(NAMES):
        partner = NAMES[flip[i]]
        if name in ('head', 'thorax', 'abdomen'):
            assert partner == name
        else:  # exactly the other side of the same part
            assert partner != name and partner.replace('R', 'L') == name.replace('R', 'L')
    assert len(meta['skeleton_links']) == 16
    np.testing.assert_allclose(meta['dataset_keypoint_weights'], [1.0] * 5 + [1.0, 1.2] * 6)
    assert meta['dataset_keypoint_weights'].shape == (17,) and meta['sigmas'].shape == (17,)


def test_loads_the_generated_splits(fly17_root):
    dataset = DATASETS.build(dict(type='Fly17Dataset', ann_file='annotations/fly17_train.json',
                                  data_root=fly17_root, data_prefix=dict(img='images/')))
    assert len(dataset) == 32
    info = dataset.get_data_info(0)
    assert info['keypoints'].shape == (1, 17, 2)
    assert osp.isfile(info['img_path'])


def test_random_flip_swaps_left_and_right(fly17_root):
    pipeline = [dict(type='LoadImage'), dict(type='GetBBoxCenterScale', padding=1.0),
                dict(type='RandomFlip', prob=1.0, direction='horizontal')]
    dataset = build(fly17_root, pipeline=pipeline)
    raw = dataset.get_data_info(3)['keypoints'][0]
    sample = dataset[3]
    flipped, width = sample['keypoints'][0], sample['img'].shape[1]
    assert sample['flip'] and sample['flip_direction'] == 'horizontal'
    wing_l, wing_r = NAMES.index('wingL'), NAMES.index('wingR')
    # the point now called wingL is the mirror image of the one that was wingR
    np.testing.assert_allclose(flipped[wing_l], [width - 1 - raw[wing_r][0], raw[wing_r][1]],
                               atol=1e-4)
    head = NAMES.index('head')
    np.testing.assert_allclose(flipped[head], [width - 1 - raw[head][0], raw[head][1]],
                               atol=1e-4)


def _edit_first_annotation(root, tmp_path, edit):
    copy = tmp_path / 'fly'
    shutil.copytree(root, copy)
    path = copy / 'annotations' / 'fly17_train.json'
    coco = json.loads(path.read_text())
    edit(coco)
    path.write_text(json.dumps(coco))
    return str(copy)


def test_wrong_keypoint_count_names_file_and_annotation(fly17_root, tmp_path):
    def drop_one(coco):
        coco['annotations'][0]['keypoints'] = coco['annotations'][0]['keypoints'][:-3]
    root = _edit_first_annotation(fly17_root, tmp_path, drop_one)
    with pytest.raises(ValueError, match=r'fly17_train.json: annotation id \d+ \(fly_\d+.png\): '
                                         r'48 keypoint values, expected 51'):
        build(root)


def test_keypoint_outside_the_image_is_an_error(fly17_root, tmp_path):
    def push_out(coco):
        coco['annotations'][0]['keypoints'][0] = 500.0
    root = _edit_first_annotation(fly17_root, tmp_path, push_out)
    with pytest.raises(ValueError, match=r'keypoint 0 at \(500, .*\) lies outside the 192x192'):
        build(root)


def test_missing_image_is_an_error(fly17_root, tmp_path):
    def rename(coco):
        coco['images'][0]['file_name'] = 'nowhere.png'
    root = _edit_first_annotation(fly17_root, tmp_path, rename)
    with pytest.raises(FileNotFoundError, match=r'image .*nowhere.png does not exist'):
        build(root)
