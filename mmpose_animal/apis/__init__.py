from .batched_inference import predict_batches
from .inference import (is_video, list_inputs, load_pose_model, predict_keypoints,
                        read_image, read_video, to_record)

__all__ = ['is_video', 'list_inputs', 'load_pose_model', 'predict_batches', 'predict_keypoints',
           'read_image', 'read_video', 'to_record']
