"""Running trained models: loading them, predicting images, videos and folders, following
animals, and the video loop that writes what labs open."""
from .batched_inference import predict_batches
from .detection import Detector
from .inference import fuse_for_inference, load_pose_model, predict_keypoints
from .video_loop import (Analysis, VideoLoop, analyse, chosen_frames, training_edge_lengths,
                         write_labelling_job)
from .video_prediction import SequenceInput, group_inputs, predict_sequence, read_frames

__all__ = ['Analysis', 'Detector', 'SequenceInput', 'VideoLoop', 'analyse', 'chosen_frames',
           'fuse_for_inference', 'group_inputs', 'load_pose_model', 'predict_batches',
           'predict_keypoints', 'predict_sequence', 'read_frames', 'training_edge_lengths',
           'write_labelling_job']
