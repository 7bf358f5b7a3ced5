import numpy as np
import pytest

from mmpose_animal.fileio.coco_splits import KeypointRecord, coco_dict, split_indices


def test_split_indices_partition_deterministically():
    splits = split_indices(50, (0.8, 0.1, 0.1), seed=3)
    assert [len(splits[name]) for name in ('train', 'val', 'test')] == [40, 5, 5]
    assert sorted(sum(splits.values(), [])) == list(range(50))
    assert split_indices(50, (0.8, 0.1, 0.1), seed=3) == splits
    assert split_indices(50, (0.8, 0.1, 0.1), seed=4) != splits


@pytest.mark.parametrize('ratios', [(0.8, 0.1), (0.8, 0.3, -0.1), (0.5, 0.3, 0.3)])
def test_bad_split_ratios_are_refused(ratios):
    with pytest.raises(ValueError, match='split ratios must be 3 non-negative numbers'):
        split_indices(10, ratios, seed=0)


def test_coco_dict_counts_visible_points_and_numbers_skeleton_from_one():
    keypoints = np.array([[10, 20, 2], [0, 0, 0], [30, 40, 1]], dtype=np.float32)
    record = KeypointRecord('a/b.png', 64, 48, keypoints, (1, 2, 60, 40))
    coco = coco_dict([record], ['p', 'q', 'r'], [(0, 1), (1, 2)], 'fly')
    (image,), (annotation,), (category,) = coco['images'], coco['annotations'], coco['categories']
    assert image == dict(id=0, file_name='a/b.png', width=64, height=48)
    assert annotation['num_keypoints'] == 2
    assert annotation['keypoints'] == [10, 20, 2, 0, 0, 0, 30, 40, 1]
    assert annotation['bbox'] == [1, 2, 60, 40] and annotation['area'] == 2400
    assert category['keypoints'] == ['p', 'q', 'r'] and category['skeleton'] == [[1, 2], [2, 3]]
