"""Targets of a model that finds several animals itself: one more heatmap channel, a peak at
the centre of every animal in the input."""
from typing import Dict

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from mmpose.registry import KEYPOINT_CODECS, TRANSFORMS
from mmpose.structures.bbox import get_udp_warp_matrix, get_warp_matrix


@TRANSFORMS.register_module()
class AnimalCentreTarget(BaseTransform):
    """Append the animal-centre channel to the targets: a Gaussian (the codec's) at the
    centre of every labelled animal of the frame that falls in the input (``frame_centres``
    of :class:`~mmpose_animal.datasets.AnimalKeypointDataset`), weight 1, so where no
    animal is the model learns to find none.

    The keypoint channels stay the sample's own animal's. On a whole-frame sample
    (``KeypointBBox``'s ``whole_image_box``) they get weight 0: the whole frame teaches
    where the animals are, the crops around one animal teach its keypoints (another animal
    in the crop has no target there, and with ``AbsentKeypointWeights`` its parts are
    learned as "not this animal"). Put it after ``GenerateTarget`` (and
    ``AbsentKeypointWeights``).

    Required keys: ``frame_centres`` (M, 2), ``input_center``, ``input_scale``,
    ``heatmaps`` (K, h, w), ``keypoint_weights`` (1, K); ``bbox_rotation``, ``flip``,
    ``flip_direction``, ``ori_shape`` when present.
    Modified keys: ``heatmaps`` (K + 1, h, w), ``keypoint_weights`` (1, K + 1).

    Args:
        encoder (dict): The codec config of ``GenerateTarget``.
    """

    def __init__(self, encoder: dict):
        super().__init__()
        self.encoder = KEYPOINT_CODECS.build(encoder)
        self.use_udp = encoder['type'] == 'UDPHeatmap'

    def centres_in_input(self, results: Dict) -> np.ndarray:
        """(M, 2) the frame's animal centres in input pixels (flipped and warped as the
        image was)."""
        centres = np.array(results['frame_centres'], np.float32).reshape(-1, 2)
        centres = centres[np.isfinite(centres).all(1)]
        if results.get('flip') and results.get('flip_direction') == 'horizontal':
            centres[:, 0] = results['ori_shape'][1] - 1 - centres[:, 0]
        rotation = float(results['bbox_rotation'][0]) if 'bbox_rotation' in results else 0.0
        warp = get_udp_warp_matrix if self.use_udp else get_warp_matrix
        matrix = warp(np.asarray(results['input_center'], np.float32),
                      np.asarray(results['input_scale'], np.float32), rotation,
                      output_size=tuple(self.encoder.input_size))
        return cv2.transform(centres[None], matrix)[0] if len(centres) else centres

    def transform(self, results: Dict) -> Dict:
        centres = self.centres_in_input(results)
        heatmaps = results['heatmaps']
        channel = np.zeros((1,) + heatmaps.shape[1:], heatmaps.dtype)
        if len(centres):
            encoded = self.encoder.encode(centres[None], np.ones((1, len(centres))))
            channel[0] = encoded['heatmaps'].max(0)
        weights = np.array(results['keypoint_weights'], np.float32)
        if results.get('whole_image_box'):
            weights[:] = 0.0
        results['heatmaps'] = np.concatenate([heatmaps, channel])
        results['keypoint_weights'] = np.concatenate([weights, np.ones((1, 1), np.float32)], 1)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(encoder={type(self.encoder).__name__})'
