"""The sequence API on real frames: the first frames of the shared Openfield video."""
import os.path as osp

import cv2
import numpy as np
import pytest

from mmpose_animal.apis import (PoseSequence, SequenceInput, analyse, apply_steps,
                                frame_quality, label_edge_lengths, load_sequence,
                                predict_batches, predict_sequence, read_video, save_sequence,
                                write_analysis)
from ..conftest import write_real_clip
from ..test_data_tools.label_sources import SHARED_DLC

VIDEO = osp.join(SHARED_DLC, 'videos', 'm3v1mp4.mp4')
pytestmark = pytest.mark.skipif(not osp.isfile(VIDEO), reason='the real video is not here')


@pytest.fixture(scope='module')
def clip(tmp_path_factory) -> str:
    """The first 24 frames of the real video, as an MP4 of its own."""
    return write_real_clip(str(tmp_path_factory.mktemp('clip') / 'clip.mp4'), 24)


def test_the_sequence_holds_what_frame_by_frame_inference_gives(model, clip):
    sequence = predict_sequence(model, SequenceInput(clip, True), batch_size=5)
    assert sequence.keypoints.shape == (24, 1, 17, 2) and sequence.frame_size == (640, 480)
    assert sequence.fps == pytest.approx(read_video(clip)[2])
    frames, _, _ = read_video(clip)
    for t, (_, samples) in enumerate(predict_batches(model, frames, batch_size=1)):
        np.testing.assert_allclose(sequence.keypoints[t, 0],
                                   np.asarray(samples[0].pred_instances.keypoints)[0], atol=1e-4)
        np.testing.assert_allclose(sequence.scores[t, 0],
                                   np.asarray(samples[0].pred_instances.keypoint_scores)[0],
                                   atol=1e-5)
    unchanged = analyse(sequence, steps=[])
    np.testing.assert_array_equal(unchanged.filtered.keypoints, sequence.keypoints)


def test_filters_on_real_predictions_remove_a_spike_fill_a_gap_and_cut_unsure_points(model,
                                                                                     clip):
    sequence = predict_sequence(model, SequenceInput(clip, True))
    sequence.scores[:] = 0.9
    path = np.stack([300 + 2.0 * np.arange(24), 200 + np.sin(np.arange(24) / 4)], -1)
    sequence.keypoints[:, 0, 0] = path  # keypoint 0 follows a smooth path
    sequence.keypoints[8, 0, 0] += 120  # a one-frame spike
    sequence.keypoints[14:17, 0, 0] = np.nan  # a three-frame gap
    sequence.scores[20, 0, 3] = 0.05  # an unsure point
    cut = apply_steps(sequence, [dict(type='ConfidenceCut', threshold=0.3)])
    assert np.isnan(cut.keypoints[20, 0, 3]).all()
    filtered = apply_steps(sequence, [dict(type='JumpRejection', max_jump=0.05),
                                      dict(type='InterpolateGaps', max_gap=5)])
    np.testing.assert_allclose(filtered.keypoints[8, 0, 0], path[8], atol=1.0)
    np.testing.assert_allclose(filtered.keypoints[14:17, 0, 0], path[14:17], atol=1.0)


def test_quality_flags_the_broken_frames(model, clip):
    raw = predict_sequence(model, SequenceInput(clip, True))
    raw.scores[:] = 0.9
    raw.scores[5, 0, 2] = 0.1
    raw.keypoints[:, 0] = raw.keypoints[0, 0]  # a still animal
    raw.keypoints[12, 0, 4] += 100
    analysis = analyse(raw, [dict(type='JumpRejection', max_jump=40),
                             dict(type='InterpolateGaps', max_gap=3)])
    outlier = analysis.quality['outlier']
    assert set(np.argsort(-outlier)[:2]) == {5, 12}
    assert analysis.quality['jump'][12] > 50 and analysis.quality['score_min'][5] == \
        pytest.approx(0.1)


def test_edge_lengths_outside_the_labels_range_are_flagged(tmp_path):
    import json
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


def test_a_crop_models_whole_frame_searches_are_saved(tmp_path):
    located = np.array([True, False, False, True])
    sequence = PoseSequence('v.mp4', True, np.zeros((4, 1, 2, 2), np.float32),
                            np.ones((4, 1, 2), np.float32), np.zeros((4, 1, 4), np.float32),
                            ['a', 'b'], fps=30.0, frame_size=(64, 48), located=located)
    again = load_sequence(save_sequence(sequence, str(tmp_path / 'v.sequence.npz')))
    np.testing.assert_array_equal(again.located, located)


def test_saved_predictions_come_back_and_must_be_of_the_same_video(model, clip, tmp_path):
    raw = predict_sequence(model, SequenceInput(clip, True))
    path = save_sequence(raw, str(tmp_path / 'clip.sequence.npz'))
    again = load_sequence(path, clip, 24)
    np.testing.assert_array_equal(again.keypoints, raw.keypoints)
    assert again.frame_size == raw.frame_size and again.keypoint_names == raw.keypoint_names
    with pytest.raises(ValueError, match=r'holds predictions of .*clip.mp4, not of other.mp4'):
        load_sequence(path, 'other.mp4')
    with pytest.raises(ValueError, match=r'holds 24 frames, but .*clip.mp4 has 2330'):
        load_sequence(path, clip, 2330)
    assert again.located is None  # a whole-frame model searches no frame
    (tmp_path / 'bad.npz').write_bytes(b'not a zip')
    with pytest.raises(ValueError, match='not a predictions file of tools/infer.py'):
        load_sequence(str(tmp_path / 'bad.npz'))


def test_every_output_is_written_from_the_finished_sequences(model, clip, tmp_path):
    raw = predict_sequence(model, SequenceInput(clip, True))
    analysis = analyse(raw, [dict(type='ConfidenceCut', threshold=0.0),
                             dict(type='MedianFilter', window=5)])
    files = write_analysis(analysis, str(tmp_path), ['dlc', 'slp'], read_video(clip)[0])
    names = sorted(osp.basename(f) for f in files)
    assert names == sorted(['clip.sequence.npz', 'clip.quality.csv', 'clip_mmpose-animal.h5',
                            'clip_mmpose-animal.csv', 'clip_mmpose-animal_filtered.h5',
                            'clip_mmpose-animal_filtered.csv', 'clip.predictions.slp',
                            'clip.trajectories.png', 'clip.outliers.png', 'clip.mp4'])
    capture = cv2.VideoCapture(str(tmp_path / 'overlays' / 'clip.mp4'))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 24
    lines = open(tmp_path / 'clip.quality.csv').read().splitlines()
    assert lines[0] == 'frame,score_min,score_mean,jump,edge_deviation,outlier'
    assert len(lines) == 25
