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


def crossing(num_frames=40, merged=()):
    """Two animals of the same shape on straight paths that cross at frame 20 (an X); in the
    ``merged`` frames only one animal is found (they touch). The true (T, 2, K, 2) poses and
    a sequence in a random order per frame."""
    rng = np.random.default_rng(1)
    t = np.arange(num_frames, dtype=np.float32)[:, None]
    body = np.array([[0, 0], [10, 0], [20, 2]], np.float32)
    truth = np.zeros((num_frames, 2, 3, 2), np.float32)
    truth[:, 0] = body + np.concatenate([100 + 6 * t, 100 + 4 * t], 1)[:, None]
    truth[:, 1] = body + np.concatenate([100 + 6 * t, 260 - 4 * t], 1)[:, None]
    order = np.array([rng.permutation(2) for _ in range(num_frames)])
    keypoints = np.take_along_axis(truth, order[:, :, None, None], axis=1).copy()
    for frame in merged:
        keypoints[frame, 1] = np.nan
        keypoints[frame, 0] = truth[frame].mean(0)  # one blob between the two
    scores = np.where(np.isfinite(keypoints[..., 0]), 0.9, np.nan).astype(np.float32)
    boxes = np.zeros((num_frames, 2, 4), np.float32)
    return truth, PoseSequence('x.mp4', True, keypoints, scores, boxes, ['a', 'b', 'c'],
                               fps=30.0, frame_size=(400, 400))


def identities_kept(tracked, truth, frames) -> bool:
    first = [int(np.argmin([np.abs(tracked.keypoints[0, n] - truth[0, m]).sum()
                            for m in range(2)])) for n in range(2)]
    return all(np.allclose(tracked.keypoints[t, n], truth[t, first[n]], atol=1e-3)
               for t in frames for n in range(2))


def test_look_alike_animals_crossing_keep_their_identities_by_their_motion():
    truth, sequence = crossing()
    frames = [t for t in range(40) if abs(t - 20) > 1]  # at the crossing itself both fit
    assert identities_kept(track_identities(sequence), truth, frames)


def test_two_frames_merged_into_one_animal_do_not_swap_them():
    truth, sequence = crossing(merged=(19, 20))
    tracked = track_identities(sequence)
    assert identities_kept(tracked, truth, [t for t in range(40) if t < 18 or t > 22])
    assert np.isfinite(tracked.keypoints[19]).any(axis=(-1, -2)).sum() == 1  # one found


def test_an_animal_hidden_longer_resumes_its_own_track():
    truth, sequence = crossing()
    sequence.keypoints[5:15] = np.take_along_axis(truth[5:15], np.array([[0, 1]] * 10)
                                                  [:, :, None, None], axis=1)
    sequence.keypoints[5:15, 1] = np.nan  # animal 1 is hidden for 10 frames, far from 0
    tracked = track_identities(sequence)
    assert identities_kept(tracked, truth, range(15, 19))


def test_appearance_separates_animals_that_motion_cannot():
    """Two animals that meet and part with the same motion: the identity probabilities
    (as a classifier of crops gives them) decide who is who after they part."""
    truth, sequence = crossing()
    appearance = np.zeros((40, 2, 2), np.float32)
    for t in range(40):
        for n in range(2):
            animal = int(np.argmin([np.abs(sequence.keypoints[t, n] - truth[t, m]).sum()
                                    for m in range(2)]))
            appearance[t, n, animal] = 0.9
            appearance[t, n, 1 - animal] = 0.1
    tracked = track_identities(sequence, appearance=appearance)
    for t in range(40):  # track n is identity n: the names of the labels
        for n in range(2):
            np.testing.assert_allclose(tracked.keypoints[t, n], truth[t, n], atol=1e-3)
