"""Helpers of the tools/ scripts: config loading and checks, work dirs, log reading."""
from .run_config import (check_cfg_options, default_work_dir, ensure_plain_checkpoints,
                         load_config, use_atomic_checkpoints, without_hooks)
from .scalars import read_scalars

__all__ = ['check_cfg_options', 'default_work_dir', 'ensure_plain_checkpoints', 'load_config',
           'read_scalars', 'use_atomic_checkpoints', 'without_hooks']
