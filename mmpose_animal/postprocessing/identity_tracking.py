"""Keep each animal's identity across frames when a frame holds several.

A frame's animals come in any order, so instance ``n`` of one frame need not be instance ``n``
of the next. :func:`track_identities` reorders every frame's instances so that an index
follows one animal, as a tracker with a known count of animals:

- each track predicts where its animal is now from where it was and how it moved (constant
  velocity of its keypoints' centre, for as long as it is unseen);
- each frame's animals are matched to the tracks by the Hungarian assignment
  (``scipy.optimize.linear_sum_assignment``) on the mean distance between their keypoints
  and the tracks' predicted keypoints, farther than ``max_distance`` refused;
- an animal no track takes (it came back far from where its track expected it, after
  being hidden or merged with another) resumes the track whose predicted place is nearest,
  among the tracks not seen in this frame: with a known count there are only that many
  tracks, so fragments are joined into whole tracks (DeepLabCut's stitching idea, done as
  the frames come).

Optionally each animal carries an appearance (a probability per labelled identity, e.g. from
a classifier of crops); then the cost adds how unlike the track's identity the animal looks.
"""
from typing import Optional

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..structures import PoseSequence


def _pose_distance(tracks: np.ndarray, poses: np.ndarray) -> np.ndarray:
    """(M, N) mean distance over the keypoints present in both (inf when none is)."""
    distance = np.linalg.norm(tracks[:, None] - poses[None], axis=-1)  # (M, N, K)
    present = np.isfinite(distance)
    total = np.where(present, distance, 0).sum(-1)
    count = present.sum(-1)
    return np.where(count > 0, total / np.maximum(count, 1), np.inf)


def animal_size(points: np.ndarray) -> float:
    """The median long side of the animals' keypoint extents ((..., K, 2) points, pixels),
    1 without any."""
    points = points.reshape(-1, points.shape[-2], 2)
    extent = np.nanmax(points, axis=1) - np.nanmin(points, axis=1)
    sizes = np.nanmax(extent, axis=1)
    sizes = sizes[np.isfinite(sizes)]
    return float(np.median(sizes)) if len(sizes) else 1.0


def track_identities(sequence: PoseSequence, max_missed: Optional[int] = None,
                     max_distance: Optional[float] = None,
                     appearance: Optional[np.ndarray] = None,
                     appearance_weight: float = 0.5) -> PoseSequence:
    """Reorder each frame's instances so that an instance index follows one animal.

    Args:
        sequence (PoseSequence): Predictions with instances in any order; its N is the
            number of animals (tracks).
        max_missed (int, optional): Frames a track keeps predicting its animal's place while
            unseen; after that, where it was last seen stands. Defaults to a second of
            video (30 frames without a frame rate).
        max_distance (float, optional): Farthest match, in pixels of mean keypoint
            distance from a track's predicted pose; a farther animal resumes the nearest
            unseen track instead. Defaults to the animals' median size.
        appearance (np.ndarray, optional): (T, N, C) each instance's probability of each of
            C identities (C = N, the identities of the labels, in ``track_names`` order).
        appearance_weight (float): Cost of an animal that looks certainly unlike a track's
            identity, in units of ``max_distance``. Defaults to ``0.5``.

    Returns:
        PoseSequence: The same predictions, instances reordered per frame.
    """
    num = sequence.num_instances
    if max_missed is None:
        max_missed = int(round(sequence.fps)) if sequence.fps else 30
    if max_missed < 0:
        raise ValueError(f'max_missed must be >= 0, got {max_missed}')
    if max_distance is None:
        max_distance = animal_size(sequence.keypoints)
    order = np.full((sequence.num_frames, num), -1)
    last_pose = np.full(sequence.keypoints.shape[1:], np.nan)  # (N tracks, K, 2)
    velocity = np.zeros((num, 2))
    last_seen = np.full(num, -np.inf)
    for t in range(sequence.num_frames):
        poses = sequence.keypoints[t]
        present = np.flatnonzero(np.isfinite(poses).any(axis=(-1, -2)))
        ago = np.minimum(t - last_seen, max_missed)
        predicted = last_pose + (np.where(np.isfinite(ago), ago, 0)[:, None]
                                 * velocity)[:, None]
        # (tracks, animals): a track that never saw its animal takes any at the gate's cost
        distance = np.where(np.isfinite(last_seen)[:, None],
                            _pose_distance(predicted, poses[present]), max_distance)
        cost = distance.copy()
        if appearance is not None:
            unlike = 1 - appearance[t, present].T[:num]  # (identities = tracks, animals)
            cost += appearance_weight * max_distance * np.nan_to_num(unlike, nan=0.5)
        assigned = {}
        if len(present):
            allowed = np.isfinite(distance) & (distance <= max_distance)
            rows, cols = linear_sum_assignment(np.where(allowed, cost, 1e12))
            assigned = {present[c]: r for r, c in zip(rows, cols) if allowed[r, c]}
        # the rest resume the nearest tracks not taken (never seen ones first)
        for instance in present:
            if instance in assigned:
                continue
            free = [track for track in range(num) if track not in assigned.values()]
            if not free:
                continue
            column = list(present).index(instance)
            assigned[instance] = min(free, key=lambda track: np.nan_to_num(
                distance[track, column], nan=np.inf))
        for instance, track in assigned.items():
            order[t, track] = instance
            centre = np.nanmean(poses[instance], axis=0)
            if np.isfinite(last_seen[track]) and t - last_seen[track] <= max_missed:
                previous = np.nanmean(last_pose[track], axis=0)
                velocity[track] = np.nan_to_num((centre - previous) / (t - last_seen[track]))
            else:
                velocity[track] = 0
            seen = np.isfinite(poses[instance]).all(-1)
            last_pose[track][seen] = poses[instance][seen]
            last_seen[track] = t
    return reorder(sequence, order)


def reorder(sequence: PoseSequence, order: np.ndarray) -> PoseSequence:
    """``sequence`` with frame ``t``'s track ``n`` taken from its instance ``order[t, n]``
    (-1: missing)."""
    def take(array: np.ndarray) -> np.ndarray:
        out = np.full_like(array, np.nan)
        frames, tracks = np.nonzero(order >= 0)
        out[frames, tracks] = array[frames, order[frames, tracks]]
        return out
    identities = sequence.identity_scores
    return PoseSequence(**{**sequence.__dict__, 'keypoints': take(sequence.keypoints),
                           'scores': take(sequence.scores), 'boxes': take(sequence.boxes),
                           'identity_scores': None if identities is None else take(identities)})
