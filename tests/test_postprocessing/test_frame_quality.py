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
