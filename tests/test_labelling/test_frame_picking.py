"""Frames to label: a confidently wrong frame first, never two picks a few frames apart."""
import numpy as np

from mmpose_animal.labelling.frame_picking import (candidate_frames, frame_priority,
                                                   pick_frames)


SCALE = 40.0  # the jump that counts fully: 5 % of a 640x480 frame's diagonal


def quality(frames=200):
    """A calm video: confident, smooth, well-proportioned frames."""
    rng = np.random.default_rng(0)
    score_min = rng.uniform(0.85, 0.95, frames)
    jump = rng.uniform(0, 1, frames)
    parts = [1 - score_min, jump / SCALE, np.zeros(frames), np.zeros(frames)]
    return dict(score_min=score_min, score_mean=score_min + 0.02, drop=1 - score_min, jump=jump,
                edge_deviation=np.zeros(frames), identity=np.zeros(frames),
                outlier=np.sum(parts, 0), severity=np.max(parts, 0))


def set_frame(q, frame, score_min, jump, deviation=0.0):
    q['score_min'][frame], q['drop'][frame], q['jump'][frame] = score_min, 1 - score_min, jump
    q['edge_deviation'][frame] = deviation
    parts = [1 - score_min, min(jump / SCALE, 1), deviation]
    q['outlier'][frame], q['severity'][frame] = sum(parts), max(parts)


def test_a_confidently_wrong_frame_comes_before_nearby_unsure_ones():
    q = quality()
    for frame in range(95, 106):
        set_frame(q, frame, 0.15, 25.0, 0.6)  # unsure, drifting, odd skeleton
    set_frame(q, 100, 0.7, 300.0)  # confident, 300 px off its trajectory
    assert q['outlier'][100] < q['outlier'][97]  # the sum alone would rank it lower
    assert np.argmax(frame_priority(q)) == 100
    candidates = candidate_frames(q, 1)
    thumbs = np.random.default_rng(1).random((len(candidates), 8))
    (pick,) = pick_frames([q], [thumbs], [candidates], num=1, min_gap=20)
    assert pick.frame == 100 and 'jump 300.0 px' in pick.reason


def test_picks_keep_their_distance():
    q = quality()
    for frame in (20, 23, 90, 150):
        set_frame(q, frame, 0.1, 2.0)
    candidates = candidate_frames(q, 3)
    thumbs = np.random.default_rng(2).random((len(candidates), 8))
    picks = pick_frames([q], [thumbs], [candidates], num=3, min_gap=10)
    frames = sorted(p.frame for p in picks)
    assert len(frames) == 3 and min(np.diff(frames)) >= 10
    assert picks[0].frame in (20, 23, 90, 150)  # the worst first
