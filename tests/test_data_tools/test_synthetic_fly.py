import filecmp
import json
import os

import cv2
import numpy as np
import pytest

from mmpose_animal.data_tools import fly17_names, make_synthetic_fly17, render_fly
from mmpose_animal.data_tools.synthetic_fly import frame_rng


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (('a', 3), ('b', 3), ('c', 4)):
        make_synthetic_fly17(str(tmp_path / name), num=5, seed=seed)
    same = filecmp.dircmp(tmp_path / 'a' / 'images', tmp_path / 'b' / 'images')
    assert not same.diff_files and len(same.same_files) == 5
    assert filecmp.cmp(tmp_path / 'a/annotations/fly17_train.json',
                       tmp_path / 'b/annotations/fly17_train.json', shallow=False)
    assert not filecmp.cmp(tmp_path / 'a/images/fly_000000.png',
                           tmp_path / 'c/images/fly_000000.png', shallow=False)


def test_layout_splits_and_coco_fields(fly17_root):
    sizes = {}
    for split in ('train', 'val', 'test'):
        with open(os.path.join(fly17_root, 'annotations', f'fly17_{split}.json')) as file:
            coco = json.load(file)
        sizes[split] = len(coco['images'])
        assert coco['categories'][0]['keypoints'] == fly17_names()
        for ann in coco['annotations']:
            assert len(ann['keypoints']) == 51 and ann['num_keypoints'] == 17
    assert sizes == {'train': 32, 'val': 4, 'test': 4}
    assert len(os.listdir(os.path.join(fly17_root, 'images'))) == 40


@pytest.mark.parametrize('index', range(6))
def test_keypoints_land_on_the_drawn_parts(index):
    image, pose = render_fly(frame_rng(7, index))
    assert image.shape == (192, 192) and image.dtype == np.uint8
    background = np.median(np.concatenate([image[:8].ravel(), image[-8:].ravel()]))
    # the head point lies inside the head ellipse, which is drawn bright
    offset = pose.keypoints[0] - pose.head_center
    assert np.linalg.norm(offset) < pose.head_axes.min()
    x, y = np.round(pose.keypoints[0]).astype(int)
    assert image[y, x] > background + 80
    # every leg joint and tip sits on a drawn (brighter than background) leg
    blurred = cv2.GaussianBlur(image.astype(np.float32), (3, 3), 0)
    for k, name in enumerate(fly17_names()):
        if 'leg' in name:
            x, y = np.round(pose.keypoints[k]).astype(int)
            assert blurred[y, x] > background + 30, name
    assert pose.keypoints.min() >= 0 and pose.keypoints.max() < 192


def test_left_legs_are_on_the_flys_left():
    """Seen from above with the head up, the fly's left is the image's left."""
    for index in range(10):
        _, pose = render_fly(frame_rng(1, index))
        names = fly17_names()
        forward = pose.keypoints[0] - pose.keypoints[1]  # thorax -> head
        left = np.array([forward[1], -forward[0]])  # forward turned a quarter to the left
        for name in ('wingL', 'forelegL4', 'midlegL4', 'hindlegL4'):
            assert np.dot(pose.keypoints[names.index(name)] - pose.keypoints[1], left) > 0
            mirror = name.replace('L', 'R')
            assert np.dot(pose.keypoints[names.index(mirror)] - pose.keypoints[1], left) < 0


def test_refuses_to_overwrite_without_force(tmp_path):
    make_synthetic_fly17(str(tmp_path), num=3, seed=0)
    with pytest.raises(FileExistsError, match='pass --force'):
        make_synthetic_fly17(str(tmp_path), num=3, seed=1)
    make_synthetic_fly17(str(tmp_path), num=4, seed=1, force=True)
    assert len(os.listdir(tmp_path / 'images')) == 4
