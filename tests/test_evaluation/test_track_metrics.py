"""Identity metrics on hand-made tracks: a swap, a miss and a false animal give the values
CLEAR MOT and IDF1 define."""
import numpy as np
import pytest

from mmpose_animal.evaluation.functional import matched_pairs, track_metrics

FRAMES = 10


def labelled() -> np.ndarray:
    """(10, 2, 3, 2): animal A near x=0, B near x=100, 3 keypoints each, still."""
    body = np.array([[0, 0], [5, 0], [10, 2]], np.float64)
    poses = np.zeros((FRAMES, 2, 3, 2))
    poses[:, 0] = body + [0, 50]
    poses[:, 1] = body + [100, 50]
    return poses


def predicted(labels: np.ndarray, extra: int = 0) -> np.ndarray:
    """The labels 1 px off, as tracks 0 (A) and 1 (B), plus ``extra`` empty tracks."""
    poses = np.full((FRAMES, 2 + extra, 3, 2), np.nan)
    poses[:, :2] = labels + [1, 0]
    return poses


def test_perfect_tracks():
    labels = labelled()
    result = track_metrics(labels, predicted(labels), radius=3)
    assert (result['MOTA'], result['IDF1'], result['IDSW']) == (1.0, 1.0, 0)
    assert result['keypoint_error_median'] == pytest.approx(1.0)


def test_a_swap_costs_two_switches_and_half_the_identities():
    labels = labelled()
    poses = predicted(labels)
    poses[5:] = poses[5:, ::-1]  # from frame 5, track 0 follows B and track 1 follows A
    result = track_metrics(labels, poses, radius=3)
    assert result['IDSW'] == 2 and result['MOTA'] == pytest.approx(1 - 2 / 20)
    assert result['IDF1'] == pytest.approx(0.5)


def test_a_missed_animal_is_two_misses_and_no_switch():
    labels = labelled()
    poses = predicted(labels)
    poses[3:5, 1] = np.nan  # B not found in frames 3 and 4, then found again
    result = track_metrics(labels, poses, radius=3)
    assert (result['FN'], result['IDSW']) == (2, 0)
    assert result['MOTA'] == pytest.approx(1 - 2 / 20)
    assert result['IDF1'] == pytest.approx(2 * 18 / (2 * 18 + 2))


def test_a_false_animal_is_a_false_positive_in_every_frame():
    labels = labelled()
    poses = predicted(labels, extra=1)
    poses[:, 2] = labels[:, 0] + [400, 0]  # a third "animal" where there is none
    result = track_metrics(labels, poses, radius=3)
    assert (result['FP'], result['FN'], result['IDSW']) == (10, 0, 0)
    assert result['MOTA'] == pytest.approx(0.5) and result['IDF1'] == pytest.approx(0.8)


def test_a_far_prediction_is_no_match():
    labels = labelled()
    poses = predicted(labels)
    poses[:, 1] += [20, 0]  # B's track 21 px off: beyond the radius
    result = track_metrics(labels, poses, radius=3)
    assert (result['TP'], result['FP'], result['FN']) == (10, 10, 10)


def test_matches_follow_the_animals_through_a_swap_and_skip_a_miss():
    labels = labelled()
    poses = predicted(labels)
    poses[5:] = poses[5:, ::-1]
    poses[3, 1] = np.nan
    pairs = matched_pairs(labels, poses, radius=3)
    assert (3, 1, 1) not in pairs and (3, 0, 0) in pairs and len(pairs) == 19
    assert (4, 1, 1) in pairs and (5, 0, 1) in pairs and (5, 1, 0) in pairs


def test_frames_must_agree():
    with pytest.raises(ValueError, match='differ in frames or keypoints'):
        track_metrics(labelled(), predicted(labelled())[:5], radius=3)
