"""What happens to a video's raw predictions: identities followed across frames, the
trajectories cleaned (registered steps), and every frame scored."""
from .frame_quality import (QUALITY_COLUMNS, EdgeLengths, frame_quality, label_edge_lengths,
                            write_quality_csv)
from .identity_tracking import track_identities
from .sequence_steps import (DEFAULT_FPS, DEFAULT_STEPS, SEQUENCE_STEPS, StepConfig,
                             apply_steps, build_steps, default_steps, describe_steps,
                             parse_step)

__all__ = ['DEFAULT_FPS', 'DEFAULT_STEPS', 'EdgeLengths', 'QUALITY_COLUMNS', 'SEQUENCE_STEPS',
           'StepConfig', 'apply_steps', 'build_steps', 'default_steps', 'describe_steps',
           'frame_quality', 'label_edge_lengths', 'parse_step', 'track_identities',
           'write_quality_csv']
