"""The video loop on real frames (the first frames of the shared Openfield video): predict,
analyse, write, pick."""
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest

from mmpose_animal.apis import (SequenceInput, VideoLoop, analyse, predict_batches,
                                predict_sequence)
from mmpose_animal.fileio import load_sequence, read_video, save_sequence
from mmpose_animal.postprocessing import apply_steps
from ..conftest import write_real_clip
from ..test_fileio.label_sources import SHARED_DLC

VIDEO = osp.join(SHARED_DLC, 'videos', 'm3v1mp4.mp4')


@pytest.fixture(scope='module')
def clip(tmp_path_factory) -> str:
    """The first 24 frames of the real video, as an MP4 of its own."""
    if not osp.isfile(VIDEO):
        pytest.skip('the real video is not here')
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


def test_saved_predictions_come_back_and_must_be_of_the_same_video(model, clip, tmp_path):
    raw = predict_sequence(model, SequenceInput(clip, True))
    path = save_sequence(raw, str(tmp_path / 'clip.sequence.npz'))
    again = load_sequence(path, clip, 24)
    np.testing.assert_array_equal(again.keypoints, raw.keypoints)
    assert again.frame_size == raw.frame_size and again.keypoint_names == raw.keypoint_names
    moved = shutil.copy(clip, tmp_path / 'renamed.mp4')  # the same video elsewhere: accepted
    assert load_sequence(path, str(moved), 24).num_frames == 24
    other = tmp_path / 'other' / 'clip.mp4'  # another video of the same name: refused
    other.parent.mkdir()
    write_real_clip(str(other), 23)
    with pytest.raises(ValueError, match=r'holds predictions of .*clip.mp4, not of .*other/'):
        load_sequence(path, str(other))
    with pytest.raises(ValueError, match=r'holds 24 frames, but .*clip.mp4 has 2330'):
        load_sequence(path, clip, 2330)


def test_every_output_is_written_from_the_finished_sequences(model, clip, tmp_path):
    loop = VideoLoop(model, [dict(type='ConfidenceCut', threshold=0.0),
                             dict(type='MedianFilter', window=5)])
    analysis = loop.analyse(SequenceInput(clip, True))
    assert analysis.threshold == 0.0 and len(analysis.steps) == 2
    files = loop.write(analysis, str(tmp_path), ['dlc', 'slp', 'lp'])
    names = sorted(osp.basename(f) for f in files)
    assert names == sorted(['clip.sequence.npz', 'clip.quality.csv', 'clip_mmpose-animal.h5',
                            'clip_mmpose-animal.csv', 'clip_mmpose-animal_filtered.h5',
                            'clip_mmpose-animal_filtered.csv', 'clip.predictions.slp',
                            'clip.lp.csv', 'clip.trajectories.png', 'clip.outliers.png',
                            'clip.mp4'])
    capture = cv2.VideoCapture(str(tmp_path / 'overlays' / 'clip.mp4'))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 24
    lines = open(tmp_path / 'clip.quality.csv').read().splitlines()
    assert lines[0] == ('frame,score_min,score_mean,drop,jump,edge_deviation,identity,outlier,'
                        'severity')
    assert len(lines) == 25


def test_the_loop_picks_spread_frames_of_the_video(model, clip):
    loop = VideoLoop(model)
    analysis = loop.analyse(SequenceInput(clip, True))
    assert analysis.threshold == 0.3  # the default steps' cut
    picks = loop.pick([analysis], num=3, min_gap=5)
    frames = sorted(p.frame for p in picks)
    assert len(frames) == 3 and min(np.diff(frames)) >= 5
