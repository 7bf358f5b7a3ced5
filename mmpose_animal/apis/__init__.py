from .batched_inference import predict_batches
from .inference import (fuse_for_inference, is_video, list_inputs, load_pose_model,
                        predict_keypoints, read_image, read_video, to_record)

__all__ = ['fuse_for_inference', 'is_video', 'list_inputs', 'load_pose_model',
           'predict_batches', 'predict_keypoints', 'read_image', 'read_video', 'to_record']
