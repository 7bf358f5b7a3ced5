from .keypoint_bbox import (KeepOriginalImage, KeypointBBox, counted_points, keypoint_bbox,
                            whole_image_bbox)

__all__ = ['KeepOriginalImage', 'KeypointBBox', 'counted_points', 'keypoint_bbox',
           'whole_image_bbox']
