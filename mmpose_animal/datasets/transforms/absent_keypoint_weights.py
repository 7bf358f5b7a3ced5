"""Teach the model where a keypoint is not: targets of keypoints without a label or outside
the input, which mmpose leaves untrained (weight 0), become "no peak here"."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class AbsentKeypointWeights(BaseTransform):
    """Give the keypoints that have no target (weight 0 after ``GenerateTarget``: not
    labelled, or outside the input) the weight ``weight``, so their empty heatmap is
    trained: the model learns a low score where a part is not seen, as DeepLabCut trains
    absent parts, instead of an untrained guess. Put it after ``GenerateTarget``.

    Required keys: ``keypoint_weights`` (1, K). Modified keys: ``keypoint_weights``.

    Args:
        weight (float): The weight of an absent keypoint's empty target. Defaults to ``1``.
    """

    def __init__(self, weight: float = 1.0):
        super().__init__()
        if not 0 <= weight <= 1:
            raise ValueError(f'AbsentKeypointWeights: weight must be in [0, 1], got {weight}')
        self.weight = weight

    def transform(self, results: Dict) -> Dict:
        weights = np.asarray(results['keypoint_weights'], dtype=np.float32)
        results['keypoint_weights'] = np.where(weights > 0, weights, np.float32(self.weight))
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(weight={self.weight})'
