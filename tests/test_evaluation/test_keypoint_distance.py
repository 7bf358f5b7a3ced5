import numpy as np
import pytest

from mmpose_animal.evaluation.functional import (box_diagonals, keypoint_distances,
                                                 per_keypoint_mean, summarize_distances)


def test_distances_are_euclidean_and_nan_where_invisible():
    pred = np.array([[[3.0, 4.0], [1.0, 1.0]]])
    gt = np.zeros((1, 2, 2))
    distances = keypoint_distances(pred, gt, np.array([[True, False]]))
    assert distances[0, 0] == 5.0 and np.isnan(distances[0, 1])


def test_summary_matches_numpy():
    distances = np.array([[1.0, np.nan], [3.0, 4.0], [10.0, 2.0]])
    values = np.array([1.0, 3.0, 4.0, 10.0, 2.0])
    summary = summarize_distances(distances)
    assert summary == pytest.approx(dict(min=1.0, mean=4.0, median=3.0,
                                         p95=np.percentile(values, 95), max=10.0,
                                         std=values.std(), rmse=np.sqrt(np.mean(values ** 2))))


def test_per_keypoint_mean_skips_invisible_and_never_seen():
    distances = np.array([[1.0, np.nan, np.nan], [3.0, 4.0, np.nan]])
    means = per_keypoint_mean(distances)
    assert means[:2].tolist() == [2.0, 4.0] and np.isnan(means[2])


def test_no_visible_keypoint_and_shape_mismatch_are_errors():
    with pytest.raises(ValueError, match='no visible keypoint'):
        summarize_distances(np.full((2, 3), np.nan))
    with pytest.raises(ValueError, match='shape mismatch'):
        keypoint_distances(np.zeros((1, 2, 2)), np.zeros((1, 3, 2)), np.ones((1, 2), bool))


def test_box_diagonals():
    assert box_diagonals(np.array([[0, 0, 3, 4], [1, 1, 2, 2]])).tolist() == [5.0, 2 ** 0.5]
