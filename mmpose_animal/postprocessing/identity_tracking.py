"""Keep each animal's identity across frames when a detector gives several boxes.

A detector lists a frame's animals in any order, so instance ``n`` of one frame need not be
instance ``n`` of the next. :func:`track_identities` reorders every frame's instances so
that an index follows one animal: it matches each frame's instances to the tracks' last
known poses by the Hungarian assignment (``scipy.optimize.linear_sum_assignment``) on the
mean distance of the keypoints both have.

Limits: it uses poses only (no appearance), so two animals that touch, cross with similar
poses, or are both lost for longer than ``max_missed`` frames can swap identities; an
animal that enters when every track is taken, or comes back after ``max_missed`` frames,
takes a free or the longest-lost track. Proofread identities where animals interact.
"""
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


def track_identities(sequence: PoseSequence, max_missed: int = 10,
                     max_distance: float = np.inf) -> PoseSequence:
    """Reorder each frame's instances so that an instance index follows one animal.

    Args:
        sequence (PoseSequence): Predictions with instances in detector order.
        max_missed (int): Frames a track keeps its last pose while its animal is not seen;
            after that it is free for any animal. Defaults to ``10``.
        max_distance (float): Matches farther than this (pixels, mean keypoint distance)
            are refused: the instance starts or takes a free track instead. Defaults to no
            limit.

    Returns:
        PoseSequence: The same predictions, instances reordered per frame.
    """
    if max_missed < 0:
        raise ValueError(f'max_missed must be >= 0, got {max_missed}')
    num = sequence.num_instances
    keypoints = np.full_like(sequence.keypoints, np.nan)
    scores = np.full_like(sequence.scores, np.nan)
    boxes = np.full_like(sequence.boxes, np.nan)
    last_pose = np.full(sequence.keypoints.shape[1:], np.nan)  # (N tracks, K, 2)
    last_seen = np.full(num, -np.inf)
    for t in range(sequence.num_frames):
        present = np.flatnonzero(np.isfinite(sequence.keypoints[t]).any(axis=(-1, -2)))
        live = np.flatnonzero(t - last_seen <= max_missed)
        assigned = {}
        if len(present) and len(live):
            cost = _pose_distance(last_pose[live], sequence.keypoints[t, present])
            cost = np.where(cost <= max_distance, cost, np.inf)
            finite = np.where(np.isfinite(cost), cost, 1e12)
            rows, cols = linear_sum_assignment(finite)
            assigned = {present[c]: live[r] for r, c in zip(rows, cols)
                        if np.isfinite(cost[r, c])}
        # unmatched instances take the tracks lost longest (free ones first)
        free = [track for track in np.argsort(last_seen, kind='stable')
                if track not in assigned.values()]
        for instance in present:
            if instance not in assigned:
                assigned[instance] = free.pop(0)
                last_pose[assigned[instance]] = np.nan  # a new animal: forget the old pose
        for instance, track in assigned.items():
            keypoints[t, track] = sequence.keypoints[t, instance]
            scores[t, track] = sequence.scores[t, instance]
            boxes[t, track] = sequence.boxes[t, instance]
            seen = np.isfinite(keypoints[t, track]).all(-1)
            last_pose[track][seen] = keypoints[t, track][seen]
            last_seen[track] = t
    return PoseSequence(**{**sequence.__dict__, 'keypoints': keypoints, 'scores': scores,
                           'boxes': boxes})
