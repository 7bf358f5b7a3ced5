"""Boxes of an animal from its keypoints, and of a whole image (as mmpose keeps box helpers
in ``mmpose.structures.bbox``)."""
from typing import Optional, Tuple

import numpy as np


def counted_points(weights: np.ndarray, relative_thr: float = 0.5) -> np.ndarray:
    """(K,) bool: the weights > 0 and at least ``relative_thr`` times the largest."""
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    return (weights > 0) & (weights >= relative_thr * weights.max(initial=0.0))


def keypoint_bbox(keypoints: np.ndarray, weights: np.ndarray, min_size: float = 1.0,
                  relative_thr: float = 0.5) -> Optional[np.ndarray]:
    """The extent of an animal's keypoints, as a box at least ``min_size`` on each side.

    Args:
        keypoints (np.ndarray): (K, 2) x, y in image pixels.
        weights (np.ndarray): (K,) visibilities or confidences; a point counts when its
            weight is > 0 and at least ``relative_thr`` times the largest weight.
        min_size (float): Smallest side, in pixels (a box of one point, or of collinear
            points, grows to it around its centre). Defaults to ``1``.
        relative_thr (float): See ``weights``. Defaults to ``0.5``.

    Returns:
        np.ndarray | None: (4,) float32 x1, y1, x2, y2 (not padded); None when no point
        counts.
    """
    keypoints = np.asarray(keypoints, dtype=np.float64).reshape(-1, 2)
    chosen = counted_points(weights, relative_thr) & np.isfinite(keypoints).all(1)
    if not chosen.any():
        return None
    low, high = keypoints[chosen].min(0), keypoints[chosen].max(0)
    centre, size = (low + high) / 2, np.maximum(high - low, min_size)
    return np.concatenate([centre - size / 2, centre + size / 2]).astype(np.float32)


def padded_keypoint_box(keypoints: np.ndarray, width: int, height: int,
                        padding: float = 0.15, min_size: float = 16.0
                        ) -> Tuple[float, float, float, float]:
    """COCO ``x, y, w, h`` around the labelled points of (K, 3) ``keypoints`` (``v > 0``):
    their extent padded by ``padding`` of it on each side, at least ``min_size`` on each
    side, clipped to the image.

    Raises:
        ValueError: No point is labelled.
    """
    box = keypoint_bbox(keypoints[:, :2], keypoints[:, 2] > 0, 0.0, relative_thr=0.0)
    if box is None:
        raise ValueError('padded_keypoint_box needs at least one labelled point')
    centre, extent = (box[:2] + box[2:]) / 2, box[2:] - box[:2]
    half = np.maximum(extent * (1 + 2 * padding), min_size) / 2
    low = np.maximum(centre - half, 0.0)
    high = np.minimum(centre + half, [width - 1.0, height - 1.0])
    return float(low[0]), float(low[1]), float(high[0] - low[0]), float(high[1] - low[1])


def whole_image_bbox(width: int, height: int) -> np.ndarray:
    """(1, 4) float32 box of the whole image."""
    return np.array([[0, 0, width, height]], dtype=np.float32)
