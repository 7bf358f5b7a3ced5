"""Identity metrics of predicted animal tracks against labelled ones: CLEAR MOT (MOTA, ID
switches) and IDF1 from TrackEval (the benchmarks' own implementation), with a keypoint
similarity instead of a box overlap, and the keypoint error of the matched animals."""
from typing import Dict, List, Tuple

import numpy as np
from scipy.optimize import linear_sum_assignment

from ...utils.optional_import import require


def keypoint_similarity(labels: np.ndarray, predictions: np.ndarray,
                        radius: float) -> np.ndarray:
    """(G, P) share of each labelled animal's labelled keypoints that a predicted animal puts
    within ``radius`` pixels ((G, K, 2) and (P, K, 2); NaN = not labelled / not predicted).
    """
    distance = np.linalg.norm(labels[:, None] - predictions[None], axis=-1)  # (G, P, K)
    labelled = np.isfinite(labels).all(-1)[:, None]  # (G, 1, K)
    near = np.where(np.isfinite(distance), distance <= radius, False) & labelled
    return near.sum(-1) / np.maximum(labelled.sum(-1), 1)


def _present(poses: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.isfinite(poses).all(-1).any(-1))


def _frame_matches(gt: np.ndarray, pred: np.ndarray, similarity: np.ndarray,
                   threshold: float) -> List[Tuple[int, int]]:
    """One frame's ``(labelled index, predicted index)`` matches: the Hungarian assignment on
    ``similarity`` (G, P), pairs finding at least ``threshold`` of the labelled keypoints."""
    if not (len(gt) and len(pred)):
        return []
    rows, cols = linear_sum_assignment(-similarity)
    return [(int(gt[r]), int(pred[c])) for r, c in zip(rows, cols)
            if similarity[r, c] >= threshold]


def matched_pairs(labels: np.ndarray, predictions: np.ndarray, radius: float,
                  threshold: float = 0.5) -> List[Tuple[int, int, int]]:
    """The labelled and predicted animals matched frame by frame: the Hungarian assignment
    on :func:`keypoint_similarity`, pairs finding at least ``threshold`` of the labelled
    keypoints.

    Args:
        labels (np.ndarray): (T, G, K, 2) the labelled animals.
        predictions (np.ndarray): (T, P, K, 2) the predicted animals.
        radius (float): Pixels within which a keypoint counts as found.
        threshold (float): The least share of keypoints found. Defaults to ``0.5``.

    Returns:
        list: ``(frame, labelled index, predicted index)`` of each match.
    """
    pairs = []
    for t in range(labels.shape[0]):
        gt, pred = _present(labels[t]), _present(predictions[t])
        similarity = keypoint_similarity(labels[t, gt], predictions[t, pred], radius)
        pairs += [(t, g, p) for g, p in _frame_matches(gt, pred, similarity, threshold)]
    return pairs


def track_metrics(labels: np.ndarray, predictions: np.ndarray, radius: float,
                  threshold: float = 0.5) -> Dict[str, float]:
    """MOTA, IDF1, ID switches and matched keypoint error of tracks.

    Args:
        labels (np.ndarray): (T, G, K, 2) the labelled animals, index = identity.
        predictions (np.ndarray): (T, P, K, 2) the predicted animals, index = track.
        radius (float): Pixels within which a keypoint counts as found.
        threshold (float): A predicted animal matches a labelled one when it finds at least
            this share of its labelled keypoints. Defaults to ``0.5``.

    Returns:
        dict: ``MOTA``, ``IDF1``, ``IDSW`` (identity switches), ``FP``, ``FN``, ``TP``,
        ``frames``, and over the animals matched frame by frame (the Hungarian assignment
        on the similarity) ``keypoint_error_median`` / ``_mean`` (pixels).

    Raises:
        ValueError: The arrays cover different frames or keypoints.
    """
    metrics = require('trackeval.metrics', 'labels')
    if labels.shape[0] != predictions.shape[0] or labels.shape[2:] != predictions.shape[2:]:
        raise ValueError(f'labels {labels.shape} and predictions {predictions.shape} differ in '
                         f'frames or keypoints')
    data = dict(gt_ids=[], tracker_ids=[], similarity_scores=[])
    errors = []
    for t in range(labels.shape[0]):
        gt, pred = _present(labels[t]), _present(predictions[t])
        similarity = keypoint_similarity(labels[t, gt], predictions[t, pred], radius)
        data['gt_ids'].append(gt)
        data['tracker_ids'].append(pred)
        data['similarity_scores'].append(similarity)
        for g, p in _frame_matches(gt, pred, similarity, threshold):
            distance = np.linalg.norm(labels[t, g] - predictions[t, p], axis=-1)
            errors.extend(distance[np.isfinite(distance)])
    data.update(num_timesteps=labels.shape[0], num_gt_ids=labels.shape[1],
                num_tracker_ids=predictions.shape[1],
                num_gt_dets=int(sum(len(g) for g in data['gt_ids'])),
                num_tracker_dets=int(sum(len(p) for p in data['tracker_ids'])))
    config = dict(THRESHOLD=threshold, PRINT_CONFIG=False)
    clear = metrics.CLEAR(config).eval_sequence(data)
    identity = metrics.Identity(config).eval_sequence(data)
    return dict(MOTA=float(clear['MOTA']), IDF1=float(identity['IDF1']),
                IDSW=int(clear['IDSW']), TP=int(clear['CLR_TP']), FP=int(clear['CLR_FP']),
                FN=int(clear['CLR_FN']), frames=int(labels.shape[0]),
                keypoint_error_median=float(np.median(errors)) if errors else float('nan'),
                keypoint_error_mean=float(np.mean(errors)) if errors else float('nan'))
