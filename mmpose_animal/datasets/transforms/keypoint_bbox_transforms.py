"""Transforms that set the box around the animal from its keypoints: for training on crops
(and whole frames) of a :class:`~mmpose_animal.models.CropTopdownPoseEstimator`."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmpose.registry import TRANSFORMS
from ...structures import keypoint_bbox, whole_image_bbox


@TRANSFORMS.register_module()
class KeypointBBox(BaseTransform):
    """Replace the annotation's box by the extent of the labelled keypoints (training on
    crops around the animal), or, with probability ``whole_image_prob``, by the whole image
    (so the same model also finds the animal in a whole frame: the coarse stage of
    :class:`CropTopdownPoseEstimator`). Put it before ``GetBBoxCenterScale``, which pads.

    Required keys: ``keypoints`` (1, K, 2), ``keypoints_visible`` (1, K), ``img_shape``.
    Modified keys: ``bbox`` (1, 4). Added keys: ``whole_image_box`` (bool).

    Args:
        min_size (float): Smallest box side, in pixels. Defaults to ``1``.
        whole_image_prob (float): Probability of the whole-image box. Defaults to ``0``.
        fixed_size (bool): Every box is a ``min_size`` square around the middle of the
            labelled keypoints (the crops of a several-animal model, centred on each
            animal). Defaults to ``False``.
    """

    def __init__(self, min_size: float = 1.0, whole_image_prob: float = 0.0,
                 fixed_size: bool = False):
        super().__init__()
        if not 0 <= whole_image_prob <= 1:
            raise ValueError(f'whole_image_prob must be in [0, 1], got {whole_image_prob}')
        if min_size <= 0:
            raise ValueError(f'min_size must be > 0, got {min_size}')
        self.min_size = min_size
        self.whole_image_prob = whole_image_prob
        self.fixed_size = fixed_size

    def transform(self, results: Dict) -> Dict:
        height, width = results['img_shape'][:2]
        box = keypoint_bbox(results['keypoints'][0], results['keypoints_visible'][0],
                            self.min_size, relative_thr=0.0)
        if box is not None and self.fixed_size:
            centre = (box[:2] + box[2:]) / 2
            box = np.concatenate([centre - self.min_size / 2, centre + self.min_size / 2])
        whole = box is None or np.random.rand() < self.whole_image_prob
        results['bbox'] = whole_image_bbox(width, height) if whole else box[None]
        results['whole_image_box'] = whole
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(min_size={self.min_size}, '
                f'whole_image_prob={self.whole_image_prob}, fixed_size={self.fixed_size})')


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
