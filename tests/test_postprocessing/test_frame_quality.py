"""Per-frame quality: skeleton edges outside the training labels' range."""
import json

import numpy as np

from mmpose_animal.postprocessing import frame_quality, label_edge_lengths
from mmpose_animal.structures import PoseSequence


def test_edge_lengths_outside_the_labels_range_are_flagged(tmp_path):
    annotations = [dict(keypoints=[0, 0, 2, 10 + i % 3, 0, 2]) for i in range(30)]
    (tmp_path / 'train.json').write_text(json.dumps(dict(annotations=annotations)))
    lengths = label_edge_lengths(str(tmp_path / 'train.json'), [])
    median, low, high = lengths[(0, 1)]
    assert (median, low, high) == (11.0, 10.0, 12.0)
    keypoints = np.zeros((3, 1, 2, 2), np.float32)
    keypoints[:, 0, 1, 0] = [11, 12, 34]  # the last is 22 px too long
    sequence = PoseSequence('v.mp4', True, keypoints, np.ones((3, 1, 2), np.float32),
                            np.zeros((3, 1, 4), np.float32), ['a', 'b'], frame_size=(64, 48))
    quality = frame_quality(sequence, sequence, lengths)
    np.testing.assert_allclose(quality['edge_deviation'], [0, 0, 2.0])


def test_a_confidently_wrong_frame_is_more_severe_than_an_unsure_part():
    frames = 20
    keypoints = np.zeros((frames, 1, 2, 2), np.float32)
    keypoints[:, 0, :, 0] = np.arange(frames)[:, None] * 2.0  # walking right
    keypoints[:, 0, 1, 1] = 10
    scores = np.full((frames, 1, 2), 0.9, np.float32)
    raw = keypoints.copy()
    raw[5, 0, 0, 1] += 300  # a confident point far off its trajectory
    raw[12, 0, 1, 1] += 300  # an unsure point as far off (an occluded tail)
    scores[12, 0, 1] = 0.1
    boxes = np.zeros((frames, 1, 4), np.float32)
    predicted = PoseSequence('v.mp4', True, raw, scores, boxes, ['a', 'b'], frame_size=(640, 480))
    filtered = PoseSequence('v.mp4', True, keypoints, scores, boxes, ['a', 'b'],
                            frame_size=(640, 480))
    quality = frame_quality(predicted, filtered)
    assert quality['outlier'][12] > quality['outlier'][5]  # the sum favours the unsure one
    assert quality['severity'][5] == 1.0
    assert 0.4 < quality['severity'][12] <= 0.5
    assert quality['severity'][0] < 0.2  # a calm, confident frame (scores 0.9)


def _still_animal(frames: int, keypoints: int, score: float = 0.9) -> PoseSequence:
    points = np.tile(np.arange(keypoints, dtype=np.float32)[:, None] * 10, (frames, 1, 1, 2))
    return PoseSequence('v.mp4', True, points, np.full((frames, 1, keypoints), score,
                                                       np.float32),
                        np.zeros((frames, 1, 4), np.float32), [str(k) for k in range(keypoints)],
                        frame_size=(640, 480))


def test_a_part_always_hard_to_see_is_no_outlier_but_a_usually_sure_one_lost_is():
    sequence = _still_animal(30, 24)
    sequence.scores[:, 0, 5] = np.where(np.arange(30) % 2, 0.1, 0.2)  # a wing tip, always weak
    sequence.scores[7, 0, :6] = 0.05  # a quarter of the body lost in frame 7
    sequence.scores[9, 0, 3] = 0.05  # one usually sure point lost in frame 9
    quality = frame_quality(sequence, sequence)
    assert quality['drop'][0] < 0.1 and quality['outlier'][0] < 0.1
    assert quality['score_min'][0] <= 0.2  # the minimum alone would call every frame unsure
    assert quality['drop'][7] > 0.85 and quality['outlier'][7] > 0.85
    # the mean of its quarter (6 of 24) least sure: the lost point and the weak tip (0.1 of 0.15)
    np.testing.assert_allclose(quality['drop'][9], (1 - 0.05 / 0.9 + 1 - 0.1 / 0.15) / 6,
                               rtol=1e-5)


def test_a_point_the_confidence_cut_removed_is_not_a_jump():
    raw = _still_animal(10, 4)
    raw.scores[3, 0, 1] = 0.1
    filtered = raw.with_points(raw.keypoints.copy())
    filtered.keypoints[3, 0, 1] = np.nan  # removed by the cut
    filtered.keypoints[6, 0, 2] = np.nan  # removed although sure: a jump the filters caught
    quality = frame_quality(raw, filtered, threshold=0.3)
    assert quality['jump'][3] == 0 and quality['drop'][3] > 0.8
    assert quality['jump'][6] > 0
    assert frame_quality(raw, filtered)['jump'][3] > 0  # without a cut, any removal counts
