"""Boxes around the animal from its keypoints: for training on crops and for following an
animal from frame to frame."""
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmpose.registry import TRANSFORMS


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


def counted_points(weights: np.ndarray, relative_thr: float = 0.5) -> np.ndarray:
    """(K,) bool: the weights > 0 and at least ``relative_thr`` times the largest."""
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    return (weights > 0) & (weights >= relative_thr * weights.max(initial=0.0))


def whole_image_bbox(width: int, height: int) -> np.ndarray:
    """(1, 4) float32 box of the whole image."""
    return np.array([[0, 0, width, height]], dtype=np.float32)


@TRANSFORMS.register_module()
class KeypointBBox(BaseTransform):
    """Replace the annotation's box by the extent of the labelled keypoints (training on
    crops around the animal), or, with probability ``whole_image_prob``, by the whole image
    (so the same model also finds the animal in a whole frame: the coarse stage of
    :class:`CropTopdownPoseEstimator`). Put it before ``GetBBoxCenterScale``, which pads.

    Required keys: ``keypoints`` (1, K, 2), ``keypoints_visible`` (1, K), ``img_shape``.
    Modified keys: ``bbox`` (1, 4).

    Args:
        min_size (float): Smallest box side, in pixels. Defaults to ``1``.
        whole_image_prob (float): Probability of the whole-image box. Defaults to ``0``.
    """

    def __init__(self, min_size: float = 1.0, whole_image_prob: float = 0.0):
        super().__init__()
        if not 0 <= whole_image_prob <= 1:
            raise ValueError(f'whole_image_prob must be in [0, 1], got {whole_image_prob}')
        if min_size <= 0:
            raise ValueError(f'min_size must be > 0, got {min_size}')
        self.min_size = min_size
        self.whole_image_prob = whole_image_prob

    def transform(self, results: Dict) -> Dict:
        height, width = results['img_shape'][:2]
        box = keypoint_bbox(results['keypoints'][0], results['keypoints_visible'][0],
                            self.min_size, relative_thr=0.0)
        if box is None or np.random.rand() < self.whole_image_prob:
            results['bbox'] = whole_image_bbox(width, height)
        else:
            results['bbox'] = box[None]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(min_size={self.min_size}, '
                f'whole_image_prob={self.whole_image_prob})')


@TRANSFORMS.register_module()
class KeepOriginalImage(BaseTransform):
    """Keep the loaded image as ``ori_img`` (before ``TopdownAffine`` crops ``img``), so a
    :class:`CropTopdownPoseEstimator` can crop it again around the animal it found. Pack it
    with ``PackPoseInputs(meta_keys=... + ('ori_img',))``.

    Required keys: ``img``. Added keys: ``ori_img``.
    """

    def transform(self, results: Dict) -> Dict:
        results['ori_img'] = results['img']
        return results
