"""Post-processing steps on trajectories: what each does to a spike, a gap, an unsure point."""
import numpy as np
import pytest

from mmpose_animal.postprocessing import (DEFAULT_STEPS, apply_steps, build_steps,
                                          default_steps, describe_steps, parse_step)
from mmpose_animal.structures import PoseSequence


def walk(num_frames=40, num_keypoints=2, seed=0) -> PoseSequence:
    """A smooth walk with small jitter, all points scoring 0.9, 640x480 frames."""
    rng = np.random.default_rng(seed)
    t = np.arange(num_frames, dtype=np.float32)
    keypoints = np.zeros((num_frames, 1, num_keypoints, 2), np.float32)
    for k in range(num_keypoints):
        keypoints[:, 0, k, 0] = 100 + 3 * t + 20 * k
        keypoints[:, 0, k, 1] = 200 + 2 * np.sin(t / 5) + 10 * k
    keypoints += rng.normal(0, 0.5, keypoints.shape).astype(np.float32)
    scores = np.full((num_frames, 1, num_keypoints), 0.9, np.float32)
    boxes = np.tile(np.array([0, 0, 640, 480], np.float32), (num_frames, 1, 1))
    return PoseSequence('walk.mp4', True, keypoints, scores, boxes,
                        [f'k{i}' for i in range(num_keypoints)], fps=30.0, frame_size=(640, 480))


def test_a_point_under_the_cut_becomes_missing_and_the_input_is_kept():
    sequence = walk()
    sequence.scores[5, 0, 1] = 0.1
    cut = apply_steps(sequence, [dict(type='ConfidenceCut', threshold=0.3)])
    assert np.isnan(cut.keypoints[5, 0, 1]).all() and np.isfinite(cut.keypoints[5, 0, 0]).all()
    assert np.isfinite(sequence.keypoints).all()  # the input is not changed
    assert np.isfinite(cut.keypoints).sum() == sequence.keypoints.size - 2


@pytest.mark.parametrize('length', [1, 2])
def test_a_spike_of_one_or_two_frames_is_removed_and_a_real_move_kept(length):
    sequence = walk()
    sequence.keypoints[10:10 + length, 0, 0] += 150  # leaves and comes back
    sequence.keypoints[25:, 0, 1] += 150  # moves for good: not a spike
    rejected = apply_steps(sequence, [dict(type='JumpRejection', max_jump=40, max_length=2)])
    assert np.isnan(rejected.keypoints[10:10 + length, 0, 0]).all()
    assert np.isfinite(rejected.keypoints[:10, 0, 0]).all()
    assert np.isfinite(rejected.keypoints[10 + length:, 0, 0]).all()
    assert np.isfinite(rejected.keypoints[:, 0, 1]).all()


def test_relative_max_jump_is_a_fraction_of_the_frame_diagonal():
    sequence = walk()
    sequence.keypoints[10, 0, 0, 0] += 30  # 30 px: above 0.03 x 800, below 0.05 x 800
    assert np.isnan(apply_steps(sequence, [dict(type='JumpRejection', max_jump=0.03)])
                    .keypoints[10, 0, 0]).all()
    assert np.isfinite(apply_steps(sequence, [dict(type='JumpRejection', max_jump=0.05)])
                       .keypoints[10, 0, 0]).all()


def test_short_gaps_are_filled_linearly_and_long_ones_left():
    sequence = walk()
    truth = sequence.keypoints.copy()
    sequence.keypoints[10:13, 0, 0] = np.nan  # 3 frames
    sequence.keypoints[20:30, 0, 0] = np.nan  # 10 frames
    sequence.scores[9, 0, 0], sequence.scores[13, 0, 0] = 0.8, 0.6
    filled = apply_steps(sequence, [dict(type='InterpolateGaps', max_gap=5)])
    np.testing.assert_allclose(filled.keypoints[10:13, 0, 0], truth[10:13, 0, 0], atol=2.5)
    assert (filled.scores[10:13, 0, 0] == 0.6).all()
    assert np.isnan(filled.keypoints[20:30, 0, 0]).all()


@pytest.mark.parametrize('step', [dict(type='MedianFilter', window=5),
                                  dict(type='SavitzkyGolay', window=7, order=2)])
def test_smoothing_cuts_jitter_and_keeps_the_trajectory(step):
    sequence = walk(num_frames=200)
    smooth = apply_steps(sequence, [step])
    def jitter(points):
        return np.median(np.abs(np.diff(points[:, 0, 0, 1], n=2)))  # y: a slow wave
    assert jitter(smooth.keypoints) < 0.6 * jitter(sequence.keypoints)
    assert np.median(np.linalg.norm(smooth.keypoints - sequence.keypoints, axis=-1)) < 1.0


def test_the_default_chain_removes_a_spike_and_bridges_a_gap():
    sequence = walk(num_frames=60)
    sequence.keypoints[20, 0, 0] += 200
    sequence.scores[40:43, 0, 1] = 0.05
    filtered = apply_steps(sequence, default_steps(sequence))
    assert np.isfinite(filtered.keypoints).all()
    assert np.linalg.norm(filtered.keypoints[20, 0, 0] - sequence.keypoints[19, 0, 0]) < 10
    assert np.linalg.norm(filtered.keypoints[41, 0, 1] - sequence.keypoints[41, 0, 1]) < 10


def test_defaults_of_a_folder_or_a_short_video_do_not_look_along_time():
    folder = walk(num_frames=3)
    folder.is_video = False
    assert [s['type'] for s in default_steps(folder)] == ['ConfidenceCut']
    assert [s['type'] for s in default_steps(walk(num_frames=4))] == ['ConfidenceCut']
    assert len(default_steps(walk(num_frames=40))) == 5
    assert [s['type'] for s in default_steps(walk(num_frames=6))] == ['ConfidenceCut']


@pytest.mark.parametrize('fps, median, savgol, gap', [
    (30.0, 5, 7, 5), (29.97, 5, 7, 5), (60.0, 9, 13, 10), (25.0, 3, 5, 4), (15.0, None, None, 2),
    (10.0, None, None, 2), (None, 5, 7, 5)])
def test_default_windows_span_the_same_time_at_any_frame_rate(fps, median, savgol, gap):
    sequence = walk(num_frames=100)
    sequence.fps = fps
    steps = {step['type']: step for step in default_steps(sequence)}
    assert steps.get('MedianFilter', {}).get('window') == median
    assert steps.get('SavitzkyGolay', {}).get('window') == savgol
    assert steps['InterpolateGaps']['max_gap'] == gap
    assert steps['JumpRejection'] == dict(DEFAULT_STEPS[1])  # spikes are counted in frames
    if fps in (30.0, 29.97, None):
        assert default_steps(sequence) == [dict(step) for step in DEFAULT_STEPS]


def test_steps_from_the_command_line():
    assert parse_step('MedianFilter:window=7') == dict(type='MedianFilter', window=7)
    assert parse_step('ConfidenceCut:threshold=0.5') == dict(type='ConfidenceCut', threshold=0.5)
    assert describe_steps([dict(type='MedianFilter', window=7)]) == 'MedianFilter(window=7)'
    with pytest.raises(ValueError, match=r"options are key=value, got 'window'"):
        parse_step('MedianFilter:window')


@pytest.mark.parametrize('steps, error, message', [
    ([dict(type='Kalman')], KeyError, r"unknown sequence step 'Kalman'; choose from \["),
    ([dict(type='MedianFilter', window=4)], ValueError, 'odd integer >= 3, got 4'),
    ([dict(type='ConfidenceCut', threshold=2)], ValueError, r'threshold must be in \[0, 1\]'),
    ([dict(type='SavitzkyGolay', window=5, order=5)], ValueError, r'order must be in \[0, 5\)'),
])
def test_bad_steps_are_clear_errors(steps, error, message):
    with pytest.raises(error, match=message):
        build_steps(steps)


def test_a_window_longer_than_the_video_is_a_clear_error():
    with pytest.raises(ValueError, match=r'MedianFilter: window of 31 frames is longer than '
                                         r'walk.mp4 \(20 frames\)'):
        apply_steps(walk(num_frames=20), [dict(type='MedianFilter', window=31)])
