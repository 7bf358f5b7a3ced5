from .batched_inference import predict_batches
from .crop_tracking import is_crop_model, track_frames
from .frame_quality import QUALITY_COLUMNS, frame_quality, label_edge_lengths
from .identity_tracking import track_identities
from .inference import (fuse_for_inference, is_video, list_inputs, load_pose_model,
                        predict_keypoints, read_image, read_video, to_record)
from .pose_sequence import PoseSequence, load_sequence, save_sequence
from .sequence_steps import (DEFAULT_STEPS, SEQUENCE_STEPS, apply_steps, build_steps,
                             parse_step)
from .video_analysis import Analysis, analyse, write_analysis
from .video_prediction import SequenceInput, group_inputs, predict_sequence, read_frames

__all__ = ['Analysis', 'DEFAULT_STEPS', 'PoseSequence', 'QUALITY_COLUMNS', 'SEQUENCE_STEPS',
           'SequenceInput', 'analyse', 'apply_steps', 'build_steps', 'frame_quality',
           'fuse_for_inference', 'group_inputs', 'is_crop_model', 'is_video', 'label_edge_lengths',
           'list_inputs', 'load_pose_model', 'load_sequence', 'parse_step', 'predict_batches',
           'predict_keypoints', 'predict_sequence', 'read_frames', 'read_image', 'read_video',
           'save_sequence', 'to_record', 'track_frames', 'track_identities', 'write_analysis']
