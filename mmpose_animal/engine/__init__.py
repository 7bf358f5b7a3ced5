from . import atomic_local_backend  # noqa: F401  (registers the atomic_local file backend)
from . import safe_checkpoint_loader  # noqa: F401  (registers the safe local loader)
from .checkpoint_files import latest_checkpoint, remove_partial_files
from .distributed import setup_distributed
from .hooks import PlainCheckpointHook, PoseOverlayHook, TimeBudgetHook
from .run_config import (check_cfg_options, default_work_dir, ensure_plain_checkpoints,
                         load_config, use_atomic_checkpoints)
from .safe_checkpoint_loader import CheckpointLoadError, load_local_checkpoint

__all__ = ['CheckpointLoadError', 'PlainCheckpointHook', 'PoseOverlayHook', 'check_cfg_options',
           'default_work_dir', 'ensure_plain_checkpoints', 'latest_checkpoint', 'load_config',
           'load_local_checkpoint', 'remove_partial_files', 'setup_distributed',
           'TimeBudgetHook', 'use_atomic_checkpoints']
