from .keypoint_bbox import KeepOriginalImage, KeypointBBox, keypoint_bbox, whole_image_bbox

__all__ = ['KeepOriginalImage', 'KeypointBBox', 'keypoint_bbox', 'whole_image_bbox']
