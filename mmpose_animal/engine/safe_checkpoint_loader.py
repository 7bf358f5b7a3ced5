"""Load local checkpoints with ``torch.load(weights_only=True)`` through mmengine.

Importing this module registers :func:`load_local_checkpoint` as mmengine's loader for local
paths, so ``Runner(load_from=...)``, ``resume=True``, ``mmengine.runner.load_checkpoint`` and
mmpose's ``init_model`` all go through the safe unpickler. Checkpoints written with
:class:`PlainCheckpointHook` hold only tensors and plain Python types.

Checkpoints written by stock mmengine / mmpose (the model zoo) also hold numpy arrays and
scalars (``meta``) and :class:`HistoryBuffer` objects (``message_hub``). For those, and only
inside this loader, numpy's array / scalar reconstruction and the ``HistoryBuffer`` class are
allowed, and the ``builtins.getattr`` a pickled history buffer asks for is answered by an
inert stub (nothing is looked up or called); the buffers are then rebuilt from their data.
``builtins.getattr`` itself is never allowed and nothing is allow-listed globally.
"""
import os.path as osp
import pickle
import re
import zipfile
from typing import Any, Optional, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from .checkpoint_codec import decode_plain

UNSAFE_GLOBAL = re.compile(r'(?:Unsupported global: GLOBAL|unsupported GLOBAL) (\S+)')


def _inert_getattr(obj: Any, name: str) -> None:
    """Stands in for ``builtins.getattr`` while unpickling: looks nothing up."""
    return None


# numpy 2 names, and the numpy 1.x names older checkpoints were pickled with
STOCK_CHECKPOINT_GLOBALS = [
    np._core.multiarray._reconstruct, np._core.multiarray.scalar, np.ndarray, np.dtype,
    (np._core.multiarray._reconstruct, 'numpy.core.multiarray._reconstruct'),
    (np._core.multiarray.scalar, 'numpy.core.multiarray.scalar'),
    *[getattr(np.dtypes, name) for name in dir(np.dtypes) if name.endswith('DType')],
    HistoryBuffer, (_inert_getattr, 'builtins.getattr'),
]


def _rebuild_history_buffers(checkpoint: Any) -> None:
    """Give the history buffers of a stock ``message_hub`` back their statistics methods."""
    hub = checkpoint.get('message_hub') if isinstance(checkpoint, dict) else None
    scalars = hub.get('log_scalars') if isinstance(hub, dict) else None
    for key, buffer in (scalars or {}).items():
        if isinstance(buffer, HistoryBuffer):
            log_history, count_history = buffer.data
            scalars[key] = HistoryBuffer(log_history, count_history, buffer.max_length)


class CheckpointLoadError(RuntimeError):
    """A checkpoint file is missing, corrupt or carries objects that are not safe to load."""


def load_local_checkpoint(filename: str,
                          map_location: Optional[Union[str, torch.device]] = None) -> Any:
    """Load a local checkpoint with the safe unpickler and decode its plain metadata.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (str | torch.device, optional): As for :func:`torch.load`.

    Returns:
        Any: The checkpoint, with numpy arrays and history buffers rebuilt.

    Raises:
        FileNotFoundError: ``filename`` does not exist.
        CheckpointLoadError: The file is not a readable torch checkpoint, or it asks the
            unpickler for a global that is not allowed (it is refused, never executed).
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} does not exist')
    try:
        # unpickling a buffer writes its statistics methods into the class-level registry
        # (as the inert stub's None): keep the registry as it was
        registry = dict(HistoryBuffer._statistics_methods)
        try:
            with torch.serialization.safe_globals(STOCK_CHECKPOINT_GLOBALS):
                checkpoint = torch.load(filename, map_location=map_location,
                                        weights_only=True)
        finally:
            HistoryBuffer._statistics_methods.clear()
            HistoryBuffer._statistics_methods.update(registry)
    except pickle.UnpicklingError as error:
        refused = UNSAFE_GLOBAL.search(str(error))
        if refused is None:
            raise CheckpointLoadError(
                f'checkpoint {filename} is corrupt or not a torch checkpoint: '
                f'{str(error).splitlines()[-3:]}') from error
        raise CheckpointLoadError(
            f'refused to load checkpoint {filename}: it asks the unpickler for '
            f'{refused.group(1)}, which is not a tensor or plain Python type; nothing in it was '
            f'executed. Tensors, plain Python types, numpy arrays and mmengine history buffers '
            f'load; checkpoints of this project and of stock mmengine / mmpose hold nothing '
            f'else.') from error
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError) as error:
        raise CheckpointLoadError(
            f'checkpoint {filename} is corrupt or not a torch checkpoint: {error}') from error
    _rebuild_history_buffers(checkpoint)
    return decode_plain(checkpoint)


CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
