from .freeze_backbone_hook import FreezeBackboneHook
from .plain_checkpoint_hook import PlainCheckpointHook
from .pose_overlay_hook import PoseOverlayHook
from .time_budget_hook import TimeBudgetHook

__all__ = ['FreezeBackboneHook', 'PlainCheckpointHook', 'PoseOverlayHook', 'TimeBudgetHook']
