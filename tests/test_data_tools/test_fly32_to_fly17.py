import json
import os

import cv2
import h5py
import numpy as np
import pytest

from mmpose_animal.data_tools import (FLY32_NAMES, convert_fly32_to_fly17, fly17_names,
                                      fly32_to_fly17_indices)


def fly32_keypoints(frame):
    """Distinct coordinates per point: x = 2 + index, y = 5 + frame."""
    return np.stack([np.arange(32) + 2.0, np.full(32, 5.0 + frame)], axis=1)


def make_h5(path, num=10, with_annotated=True):
    with h5py.File(path, 'w') as file:
        file['images'] = np.random.default_rng(0).integers(0, 255, (num, 48, 64, 1), np.uint8)
        file['annotations'] = np.stack([fly32_keypoints(i) for i in range(num)])
        if with_annotated:
            annotated = np.ones((num, 32), bool)
            annotated[0, FLY32_NAMES.index('wingL')] = False
            file['annotated'] = annotated
        file['skeleton'] = np.zeros((32, 2), np.int32)
    return str(path)


def load(out, split):
    with open(os.path.join(out, 'annotations', f'fly17_{split}.json')) as file:
        return json.load(file)


def test_indices_pick_points_by_name():
    names = fly17_names()
    assert [FLY32_NAMES[i] for i in fly32_to_fly17_indices()] == names


def test_h5_keypoints_land_on_the_right_names(tmp_path):
    out = str(tmp_path / 'out')
    convert_fly32_to_fly17(make_h5(tmp_path / 'a.h5'), out, ratios=(1.0, 0.0, 0.0))
    coco = load(out, 'train')
    assert len(coco['images']) == 10 and coco['images'][0]['width'] == 64
    for image, ann in zip(coco['images'], coco['annotations']):
        frame = int(image['file_name'][4:10])
        keypoints = np.array(ann['keypoints']).reshape(17, 3)
        for k, name in enumerate(fly17_names()):
            if frame == 0 and name == 'wingL':  # not annotated -> invisible
                assert keypoints[k, 2] == 0
                continue
            assert keypoints[k].tolist() == [2 + FLY32_NAMES.index(name), 5 + frame, 2]
        assert ann['bbox'] == [0, 0, 64, 48]
        written = cv2.imread(os.path.join(out, 'images', image['file_name']),
                             cv2.IMREAD_UNCHANGED)
        assert written.shape == (48, 64)


def test_split_sizes_and_determinism(tmp_path):
    source = make_h5(tmp_path / 'a.h5', num=20, with_annotated=False)
    ids = {}
    for name, seed in (('x', 0), ('y', 0), ('z', 1)):
        out = str(tmp_path / name)
        convert_fly32_to_fly17(source, out, ratios=(0.6, 0.2, 0.2), seed=seed)
        ids[name] = {s: sorted(i['file_name'] for i in load(out, s)['images'])
                     for s in ('train', 'val', 'test')}
    assert [len(ids['x'][s]) for s in ('train', 'val', 'test')] == [12, 4, 4]
    assert ids['x'] == ids['y'] and ids['x'] != ids['z']
    assert set(sum(ids['x'].values(), [])) == {f'fly_{i:06d}.png' for i in range(20)}


def test_coco32_json_input(tmp_path):
    images = tmp_path / 'fly_images'
    images.mkdir()
    coco = dict(images=[], annotations=[], categories=[dict(id=1, name='fly')])
    for i in range(4):
        cv2.imwrite(str(images / f'{i}.jpg'), np.zeros((40, 40, 3), np.uint8))
        coco['images'].append(dict(id=i, file_name=f'{i}.jpg', width=40, height=40))
        keypoints = np.concatenate([fly32_keypoints(i), np.full((32, 1), 2.0)], axis=1)
        coco['annotations'].append(dict(id=10 + i, image_id=i, category_id=1,
                                        bbox=[1, 2, 30, 30], keypoints=keypoints.ravel().tolist()))
    (tmp_path / 'fly_train.json').write_text(json.dumps(coco))
    out = str(tmp_path / 'out')
    convert_fly32_to_fly17(str(tmp_path / 'fly_train.json'), out, image_root=str(images),
                           ratios=(1.0, 0.0, 0.0))
    result = load(out, 'train')
    assert sorted(os.listdir(os.path.join(out, 'images'))) == ['0.jpg', '1.jpg', '2.jpg', '3.jpg']
    ann = result['annotations'][0]
    assert ann['bbox'] == [1, 2, 30, 30]
    head = fly17_names().index('head')
    assert ann['keypoints'][3 * head:3 * head + 3] == [2 + FLY32_NAMES.index('head'), 5, 2]


def test_bad_inputs_give_clear_errors(tmp_path):
    bad = tmp_path / 'bad.h5'
    with h5py.File(bad, 'w') as file:
        file['images'] = np.zeros((2, 8, 8, 1), np.uint8)
        file['annotations'] = np.zeros((2, 30, 2))
    with pytest.raises(ValueError, match=r'bad.h5: annotations have 30 keypoints, expected 32'):
        convert_fly32_to_fly17(str(bad), str(tmp_path / 'o1'))
    outside = tmp_path / 'outside.h5'
    with h5py.File(outside, 'w') as file:
        file['images'] = np.zeros((1, 8, 8, 1), np.uint8)
        file['annotations'] = np.full((1, 32, 2), 9.0)
    with pytest.raises(ValueError, match=r'frame 0: keypoint head at \(9, 9\) lies outside '
                                         r'the 8x8 image'):
        convert_fly32_to_fly17(str(outside), str(tmp_path / 'o2'), force=True)
    with pytest.raises(ValueError, match='unknown input'):
        convert_fly32_to_fly17(str(tmp_path / 'x.csv'), str(tmp_path / 'o3'))


def test_refuses_to_overwrite_without_force(tmp_path):
    source = make_h5(tmp_path / 'a.h5')
    out = str(tmp_path / 'out')
    convert_fly32_to_fly17(source, out)
    with pytest.raises(FileExistsError, match='pass --force'):
        convert_fly32_to_fly17(source, out)
    convert_fly32_to_fly17(source, out, force=True)


def test_h5_with_every_annotated_flag_false_is_refused_unless_asked(tmp_path):
    source = make_h5(tmp_path / 'a.h5', with_annotated=False)
    with h5py.File(source, 'a') as file:
        file['annotated'] = np.zeros((10, 32), bool)
    with pytest.raises(ValueError, match=r'a.h5: every entry of its "annotated" array .*'
                                         r'--ignore-annotated-flags'):
        convert_fly32_to_fly17(source, str(tmp_path / 'out'))
    _, counts = convert_fly32_to_fly17(source, str(tmp_path / 'out'), force=True,
                                       ignore_annotated_flags=True)
    assert counts['train'] == [8] * 17 and counts['val'] == [1] * 17


def test_a_split_without_labelled_points_is_not_written(tmp_path):
    source = make_h5(tmp_path / 'a.h5', num=4)  # 4 frames: val and test get none
    with pytest.raises(ValueError, match=r'the val split has no labelled point'):
        convert_fly32_to_fly17(source, str(tmp_path / 'out'))
    assert not os.path.exists(tmp_path / 'out' / 'images')
