from . import atomic_local_backend  # noqa: F401  (registers the atomic_local file backend)
from . import safe_checkpoint_loader  # noqa: F401  (registers the safe local loader)
from .checkpoint_files import latest_checkpoint, remove_partial_files
from .data_workers import stop_data_workers
from .distributed import finish_distributed, setup_distributed
from .hooks import FreezeBackboneHook, PlainCheckpointHook, PoseOverlayHook, TimeBudgetHook
from .safe_checkpoint_loader import CheckpointLoadError, load_local_checkpoint

__all__ = ['CheckpointLoadError', 'FreezeBackboneHook', 'PlainCheckpointHook', 'PoseOverlayHook',
           'finish_distributed', 'latest_checkpoint', 'load_local_checkpoint',
           'remove_partial_files', 'setup_distributed', 'stop_data_workers', 'TimeBudgetHook']
