"""Pixel-distance statistics between predicted and true keypoints (pure numpy)."""
from typing import Dict

import numpy as np

SUMMARY_KEYS = ('min', 'mean', 'median', 'p95', 'max', 'std', 'rmse')


def keypoint_distances(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Euclidean distance of each keypoint, NaN where the keypoint is not visible.

    Args:
        pred (np.ndarray): (N, K, 2) predicted keypoints.
        gt (np.ndarray): (N, K, 2) true keypoints, same pixel space as ``pred``.
        mask (np.ndarray): (N, K) bool, visible keypoints.

    Returns:
        np.ndarray: (N, K) distances in pixels, NaN where ``mask`` is False.
    """
    if pred.shape != gt.shape or pred.shape[:2] != mask.shape:
        raise ValueError(f'shape mismatch: pred {pred.shape}, gt {gt.shape}, '
                         f'mask {mask.shape}; expected (N, K, 2), (N, K, 2), (N, K)')
    distances = np.linalg.norm(pred.astype(np.float64) - gt.astype(np.float64), axis=-1)
    return np.where(mask, distances, np.nan)


def summarize_distances(distances: np.ndarray) -> Dict[str, float]:
    """Min, mean, median, 95th percentile, max, (population) std and root mean square (RMSE,
    DeepLabCut's test error) over visible keypoints.

    Args:
        distances (np.ndarray): Distances of any shape, NaN for keypoints to leave out.

    Returns:
        dict: One float per key of :data:`SUMMARY_KEYS`.

    Raises:
        ValueError: No keypoint is visible.
    """
    values = distances[~np.isnan(distances)]
    if values.size == 0:
        raise ValueError('no visible keypoint to evaluate')
    return dict(min=float(values.min()), mean=float(values.mean()),
                median=float(np.median(values)), p95=float(np.percentile(values, 95)),
                max=float(values.max()), std=float(values.std()),
                rmse=float(np.sqrt(np.mean(values ** 2))))


def per_keypoint_mean(distances: np.ndarray) -> np.ndarray:
    """(K,) mean distance of each keypoint over the samples where it is visible (NaN if never)."""
    counts = (~np.isnan(distances)).sum(axis=0)
    sums = np.nansum(distances, axis=0)
    return np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)


def box_diagonals(bboxes: np.ndarray) -> np.ndarray:
    """(N,) diagonal lengths of (N, 4) boxes in ``x1, y1, x2, y2`` form."""
    return np.hypot(bboxes[:, 2] - bboxes[:, 0], bboxes[:, 3] - bboxes[:, 1])
