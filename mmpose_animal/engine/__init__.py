from . import safe_checkpoint_loader  # noqa: F401  (registers the safe local loader)
from .distributed import setup_distributed
from .hooks import PlainCheckpointHook, PoseOverlayHook, TimeBudgetHook
from .run_config import (check_cfg_options, default_work_dir, ensure_plain_checkpoints,
                         load_config)
from .safe_checkpoint_loader import CheckpointLoadError, load_local_checkpoint

__all__ = ['CheckpointLoadError', 'PlainCheckpointHook', 'PoseOverlayHook', 'check_cfg_options',
           'default_work_dir', 'ensure_plain_checkpoints', 'load_config',
           'load_local_checkpoint', 'setup_distributed', 'TimeBudgetHook']
