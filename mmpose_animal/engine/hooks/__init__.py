from .plain_checkpoint_hook import PlainCheckpointHook
from .pose_overlay_hook import PoseOverlayHook

__all__ = ['PlainCheckpointHook', 'PoseOverlayHook']
