from .absent_keypoint_weights import AbsentKeypointWeights
from .animal_centre_target import AnimalCentreTarget
from .keypoint_bbox_transforms import KeepOriginalImage, KeypointBBox

__all__ = ['AbsentKeypointWeights', 'AnimalCentreTarget', 'KeepOriginalImage', 'KeypointBBox']
