from .absent_keypoint_weights import AbsentKeypointWeights
from .keypoint_bbox_transforms import KeepOriginalImage, KeypointBBox

__all__ = ['AbsentKeypointWeights', 'KeepOriginalImage', 'KeypointBBox']
