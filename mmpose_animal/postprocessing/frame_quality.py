"""Per-frame quality of a video's predictions: where the model is unsure or wrong.

Four measures per frame, and one outlier score that combines them:

- ``score_min`` / ``score_mean``: the keypoint confidences (low = unsure);
- ``drop``: how far an animal's least sure quarter of the points falls below those parts'
  usual confidence in the video (0-1): a point's drop is ``1 - score / median score of its
  part``, an animal's the mean of its ``ceil(K / 4)`` largest (the largest for up to 4
  keypoints), a frame's the highest over its animals. So one unsure leg tip of a 24-point
  fly does not make every frame an outlier, while a lost part of a 4-point mouse, or a
  quarter of a fly, counts fully;
- ``jump``: the largest distance between a raw point and the filtered trajectory (pixels;
  a point the filters replaced, or removed although it passed the confidence cut: one
  under the cut is counted by ``drop``, not as a jump);
- ``edge_deviation``: how far the length of a skeleton edge (every keypoint pair when the
  skeleton has no edge) lies outside the range the training labels show (their 2.5-97.5th
  percentiles), relative to the labels' median length: a body that cannot be;
- ``identity``: with several animals, how unsure who is who is (0-1): the highest of
  how close two animals are (1 when their centres meet, 0 from one animal's size apart), a
  frame with fewer animals found than tracks (1), and a track whose centre leaps half an
  animal's size from the frame before (1, a possible swap);
- ``outlier``: ``drop + min(jump / jump_scale, 1) + min(edge_deviation, 1) + identity``
  (0 for a confident, smooth, well-proportioned frame, up to 4);
- ``severity``: how wrong a frame is in absolute terms (0-1), the worst of: a confident
  point (score >= :data:`CONFIDENT`) far off its trajectory (its distance from the median
  of the confident points over :data:`TRAJECTORY_WINDOW` frames around it, over
  ``jump_scale``: a run of up to 7 wrong frames is outvoted, so it cannot drag its
  neighbours' reference as it drags the filtered trajectory) or a confident body that
  cannot be (skeleton edges between confident points), the animal lost as a whole
  (``1 - score_mean``), the identity uncertainty, and at half weight a merely unsure part
  (``drop``, a jump of an unsure point). A confidently wrong frame (a picture
  upside down) thus outranks the frames where one part is unsure (an occluded tail), the
  most common kind.
"""
import json
import math
import warnings
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
from scipy.ndimage import median_filter

from ..structures import PoseSequence
from .identity_tracking import animal_size
from .sequence_steps import RELATIVE_JUMP

CONFIDENT = 0.5  # a point scoring at least this is one the model is sure of
TRAJECTORY_WINDOW = 15  # frames of the median a confident point is measured against
QUALITY_COLUMNS = ('score_min', 'score_mean', 'drop', 'jump', 'edge_deviation', 'identity',
                   'outlier', 'severity')


EdgeLengths = Dict[Tuple[int, int], Tuple[float, float, float]]


def label_edge_lengths(coco_file: str, links: Sequence[Tuple[int, int]]) -> EdgeLengths:
    """The lengths each edge has in the labelled instances of a COCO keypoint json.

    Args:
        coco_file (str): E.g. the training annotations of the model's config.
        links (Sequence[Tuple[int, int]]): The edges (keypoint indices); every pair of
            keypoints when empty.

    Returns:
        dict: ``(a, b) -> (median, 2.5th, 97.5th percentile)`` in pixels, for the edges
        labelled at least once.
    """
    with open(coco_file) as file:
        annotations = json.load(file)['annotations']
    points = np.array([a['keypoints'] for a in annotations], dtype=np.float64)
    points = points.reshape(len(points), -1, 3)
    num = points.shape[1]
    links = links or [(a, b) for a in range(num) for b in range(a + 1, num)]
    lengths = {}
    for a, b in links:
        both = (points[:, a, 2] > 0) & (points[:, b, 2] > 0)
        if both.any():
            length = np.linalg.norm(points[both, a, :2] - points[both, b, :2], axis=-1)
            lengths[(a, b)] = tuple(float(v) for v in (np.median(length),
                                                      *np.percentile(length, [2.5, 97.5])))
    return lengths


def frame_quality(raw: PoseSequence, filtered: PoseSequence,
                  edge_lengths: Optional[EdgeLengths] = None,
                  jump_scale: Optional[float] = None,
                  threshold: float = 0.0) -> Dict[str, np.ndarray]:
    """The quality measures of every frame (see the module docstring).

    Args:
        raw (PoseSequence): The predictions as the model made them.
        filtered (PoseSequence): The same after post-processing.
        edge_lengths (dict, optional): The edge lengths of the training labels (see
            :func:`label_edge_lengths`); without them ``edge_deviation`` is 0.
        jump_scale (float, optional): The jump that counts fully, in pixels. Defaults to 5 %
            of the frame diagonal (or 20 px without a frame size).
        threshold (float): The post-processing's confidence cut: a point scoring under it
            that the filters removed is not counted as a jump. Defaults to ``0``.

    Returns:
        dict: Each of :data:`QUALITY_COLUMNS` -> (T,) float array. A frame without any
        prediction scores 0 and gets the largest outlier score.
    """
    if raw.keypoints.shape != filtered.keypoints.shape:
        raise ValueError(f'{raw.source}: raw and filtered sequences differ in shape '
                         f'({raw.keypoints.shape} vs {filtered.keypoints.shape})')
    if jump_scale is None:
        jump_scale = (RELATIVE_JUMP * float(np.hypot(*raw.frame_size)) if raw.frame_size
                      else 20.0)
    point_scores = np.nan_to_num(raw.scores, nan=0.0)  # (T, N, K)
    scores = point_scores.reshape(raw.num_frames, -1)
    distance = np.linalg.norm(raw.keypoints - filtered.keypoints, axis=-1)
    # a raw point the filters removed, though it passed the cut, counts as a full jump
    removed = (np.isfinite(raw.keypoints).all(-1) & ~np.isfinite(filtered.keypoints).all(-1)
               & (point_scores >= threshold))
    distance = np.where(removed, jump_scale, np.nan_to_num(distance, nan=0.0))
    jump = distance.reshape(raw.num_frames, -1).max(axis=1)
    confident = np.nan_to_num(raw.scores, nan=0.0) >= CONFIDENT  # (T, N, K)
    off_course = np.linalg.norm(raw.keypoints - robust_trajectory(raw.keypoints, confident),
                                axis=-1)
    confident_jump = np.where(confident, np.nan_to_num(off_course, nan=0.0),
                              0).reshape(raw.num_frames, -1).max(axis=1)
    deviation = np.zeros(raw.num_frames)
    confident_deviation = np.zeros(raw.num_frames)
    for (a, b), (median, low, high) in (edge_lengths or {}).items():
        if median <= 0:
            continue
        edge = np.linalg.norm(raw.keypoints[:, :, a] - raw.keypoints[:, :, b], axis=-1)
        outside = np.maximum(np.maximum(low - edge, edge - high), 0) / median
        outside = np.nan_to_num(outside, nan=0.0)
        deviation = np.maximum(deviation, outside.max(axis=1))
        both = confident[:, :, a] & confident[:, :, b]
        confident_deviation = np.maximum(confident_deviation,
                                         np.where(both, outside, 0).max(axis=1))
    score_min, score_mean = scores.min(axis=1), scores.mean(axis=1)
    drop = confidence_drop(point_scores)
    identity = identity_uncertainty(raw)
    parts = [drop, np.minimum(jump / jump_scale, 1), np.minimum(deviation, 1), identity]
    severity = np.max([np.minimum(confident_jump / jump_scale, 1),
                       np.minimum(confident_deviation, 1), 1 - score_mean, identity,
                       0.5 * parts[0], 0.5 * parts[1]], axis=0)
    return dict(score_min=score_min, score_mean=score_mean, drop=drop, jump=jump,
                edge_deviation=deviation, identity=identity, outlier=np.sum(parts, axis=0),
                severity=severity)


def confidence_drop(scores: np.ndarray) -> np.ndarray:
    """(T,) per frame, how far each animal's least sure quarter of the points falls below
    those parts' usual confidence (the module docstring's ``drop``), the highest over the
    animals.

    Args:
        scores (np.ndarray): (T, N, K) confidences (0 for a point not predicted); the
            median of a part is over every frame and animal.
    """
    usual = np.median(scores.reshape(-1, scores.shape[-1]), axis=0)  # (K,)
    with np.errstate(divide='ignore', invalid='ignore'):
        drop = np.clip(np.where(usual > 0, 1 - scores / usual, 0.0), 0, 1)
    worst = -np.sort(-drop, axis=-1)[..., :math.ceil(scores.shape[-1] / 4)]
    return worst.mean(axis=-1).max(axis=1)


def robust_trajectory(keypoints: np.ndarray, confident: np.ndarray) -> np.ndarray:
    """(T, N, K, 2) the running median of the confident points over
    :data:`TRAJECTORY_WINDOW` frames (unsure or missing points take the nearest earlier
    confident one, or the first; NaN for a point never confident)."""
    points = np.where(confident[..., None], keypoints, np.nan)
    flat = points.reshape(len(points), int(np.prod(points.shape[1:])))
    filled = _fill_forward(_fill_forward(flat)[::-1])[::-1]  # then the leading gap backward
    median = median_filter(filled, size=(TRAJECTORY_WINDOW, 1), mode='nearest')
    return median.reshape(points.shape)


def _fill_forward(values: np.ndarray) -> np.ndarray:
    """(T, C) each NaN replaced by the last finite value above it in its column."""
    index = np.where(np.isfinite(values), np.arange(len(values))[:, None], 0)
    return np.take_along_axis(values, np.maximum.accumulate(index, axis=0), axis=0)


def identity_uncertainty(sequence: PoseSequence) -> np.ndarray:
    """(T,) how unsure who is who is in each frame of a tracked sequence (see the module
    docstring); 0 for one animal."""
    if sequence.num_instances == 1:
        return np.zeros(sequence.num_frames)
    size = animal_size(sequence.keypoints)
    with np.errstate(invalid='ignore'), warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)  # a missing animal: an empty mean
        centres = np.nanmean(sequence.keypoints, axis=2)  # (T, N, 2)
    present = np.isfinite(centres).all(-1)
    apart = np.linalg.norm(centres[:, :, None] - centres[:, None], axis=-1)
    apart[:, np.arange(sequence.num_instances), np.arange(sequence.num_instances)] = np.inf
    closeness = np.clip(1 - np.nan_to_num(apart, nan=np.inf).min(axis=(1, 2)) / size, 0, 1)
    missing = (~present).any(1).astype(float)
    step = np.linalg.norm(np.diff(centres, axis=0), axis=-1)  # (T - 1, N)
    leap = np.concatenate([[False], (np.nan_to_num(step, nan=0) > 0.5 * size).any(1)])
    return np.max([closeness, missing, leap.astype(float)], axis=0)


def write_quality_csv(quality: Dict[str, np.ndarray], sequence: PoseSequence, path: str) -> str:
    """One row per frame: ``frame`` (index or image path) and the quality columns."""
    with open(path, 'w') as file:
        file.write(','.join(('frame',) + QUALITY_COLUMNS) + '\n')
        for t in range(sequence.num_frames):
            values = ','.join(f'{quality[c][t]:.4f}' for c in QUALITY_COLUMNS)
            file.write(f'{sequence.frame_label(t)},{values}\n')
    return path
