"""Identities across frames: two animals crossing paths, listed in any order by a detector."""
import numpy as np
import pytest

from mmpose_animal.postprocessing import track_identities
from mmpose_animal.structures import PoseSequence


def two_animals(num_frames=60, seed=0):
    """Animal A walks right along y=100, B left along y=140: their paths cross at frame 30.
    Returns the true (T, 2, K, 2) poses and a sequence with each frame's order shuffled."""
    rng = np.random.default_rng(seed)
    t = np.arange(num_frames, dtype=np.float32)
    body = np.array([[0, 0], [12, 0], [24, 3]], np.float32)  # 3 keypoints
    truth = np.zeros((num_frames, 2, 3, 2), np.float32)
    truth[:, 0] = body + np.stack([50 + 5 * t, 100 + 0 * t], -1)[:, None]
    truth[:, 1] = -body + np.stack([350 - 5 * t, 140 - 0.8 * t], -1)[:, None]
    order = np.array([rng.permutation(2) for _ in range(num_frames)])
    keypoints = np.take_along_axis(truth, order[:, :, None, None], axis=1)
    scores = np.full((num_frames, 2, 3), 0.9, np.float32)
    boxes = np.zeros((num_frames, 2, 4), np.float32)
    sequence = PoseSequence('two.mp4', True, keypoints, scores, boxes, ['a', 'b', 'c'],
                            frame_size=(400, 300))
    return truth, sequence


def same_animal_throughout(tracked, truth) -> bool:
    first = [int(np.argmin([np.abs(tracked.keypoints[0, n] - truth[0, m]).sum()
                            for m in range(2)])) for n in range(2)]
    return all(np.allclose(tracked.keypoints[t, n], truth[t, first[n]], atol=1e-4)
               for t in range(len(truth)) for n in range(2))


def test_two_animals_crossing_paths_keep_their_identities():
    truth, sequence = two_animals()
    assert not same_animal_throughout(sequence, truth)  # the detector's order is random
    assert same_animal_throughout(track_identities(sequence), truth)


def test_an_animal_missed_for_a_few_frames_gets_its_identity_back():
    truth, sequence = two_animals()
    sequence.keypoints[20:24, 1] = np.nan  # the second-listed animal is not detected
    sequence.keypoints[20:24, 0] = truth[20:24, 0]
    sequence.boxes[20:24, 1] = np.nan
    tracked = track_identities(sequence, max_missed=10)
    track_of_a = int(np.argmin([np.abs(tracked.keypoints[0, n] - truth[0, 0]).sum()
                                for n in range(2)]))
    for t in [19, 24, 40, 59]:
        np.testing.assert_allclose(tracked.keypoints[t, track_of_a], truth[t, 0], atol=1e-4)


def test_bad_memory_is_an_error():
    with pytest.raises(ValueError, match='max_missed must be >= 0'):
        track_identities(two_animals()[1], max_missed=-1)
