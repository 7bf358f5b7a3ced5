"""Data structures below everything that uses them (as ``mmpose.structures``): a video's
predictions and the boxes made from keypoints."""
from .bbox import counted_points, keypoint_bbox, padded_keypoint_box, whole_image_bbox
from .pose_sequence import (PoseSequence, concatenate_sequences, output_stem,
                            stack_instances)

__all__ = ['PoseSequence', 'concatenate_sequences', 'counted_points', 'keypoint_bbox',
           'output_stem', 'padded_keypoint_box', 'stack_instances', 'whole_image_bbox']
