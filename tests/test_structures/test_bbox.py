"""Boxes from keypoints: which points count, the smallest size, COCO boxes of labels."""
import numpy as np
import pytest

from mmpose_animal.structures import keypoint_bbox, padded_keypoint_box, whole_image_bbox


def test_box_is_the_extent_of_the_counted_points():
    points = np.array([[100, 50], [140, 90], [500, 400]], np.float32)
    assert keypoint_bbox(points, [1, 1, 1]).tolist() == [100, 50, 500, 400]
    # a point under half the best weight (a confidence) does not count; a zero never does
    assert keypoint_bbox(points, [0.9, 0.8, 0.3]).tolist() == [100, 50, 140, 90]
    assert keypoint_bbox(points, [1, 1, 0], relative_thr=0).tolist() == [100, 50, 140, 90]
    assert keypoint_bbox(points, [0, 0, 0]) is None
    assert keypoint_bbox(np.full((3, 2), np.nan), [1, 1, 1]) is None


def test_small_boxes_grow_to_the_minimum_around_their_centre():
    one_point = keypoint_bbox(np.array([[200, 100], [0, 0]]), [1, 0], min_size=30)
    assert one_point.tolist() == [185, 85, 215, 115]
    line = keypoint_bbox(np.array([[100, 100], [200, 100]]), [1, 1], min_size=30)
    assert line.tolist() == [100, 85, 200, 115]
    assert whole_image_bbox(640, 480).tolist() == [[0, 0, 640, 480]]


def test_padded_box_of_labels_is_clipped_to_the_image():
    keypoints = np.array([[100, 50, 2], [140, 90, 2], [600, 10, 0]], np.float64)
    assert padded_keypoint_box(keypoints, 640, 480) == pytest.approx((94, 44, 52, 52))
    # one point grows to the least size; a box at the edge is clipped
    one = np.array([[5, 470, 2]], np.float64)
    assert padded_keypoint_box(one, 640, 480) == pytest.approx((0, 462, 13, 16))
    with pytest.raises(ValueError, match='at least one labelled point'):
        padded_keypoint_box(np.zeros((2, 3)), 640, 480)
