"""Load local checkpoints with ``torch.load(weights_only=True)`` through mmengine.

Importing this module registers :func:`load_local_checkpoint` as mmengine's loader for local
paths, so ``Runner(load_from=...)``, ``resume=True``, ``mmengine.runner.load_checkpoint`` and
mmpose's ``init_model`` all go through the safe unpickler. Nothing is allow-listed: checkpoints
written with :class:`PlainCheckpointHook` hold only tensors and plain Python types.
"""
import os.path as osp
import pickle
import re
import zipfile
from typing import Any, Optional, Union

import torch
from mmengine.runner.checkpoint import CheckpointLoader

from .checkpoint_codec import decode_plain

UNSAFE_GLOBAL = re.compile(r'(?:Unsupported global: GLOBAL|unsupported GLOBAL) (\S+)')


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
        checkpoint = torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        refused = UNSAFE_GLOBAL.search(str(error))
        if refused is None:
            raise CheckpointLoadError(
                f'checkpoint {filename} is corrupt or not a torch checkpoint: '
                f'{str(error).splitlines()[-3:]}') from error
        raise CheckpointLoadError(
            f'refused to load checkpoint {filename}: it asks the unpickler for '
            f'{refused.group(1)}, which is not a tensor or plain Python type; nothing in it was '
            f'executed. Checkpoints written by a runner with mmpose-animal\'s '
            f'PlainCheckpointHook (in every config of this project) hold only tensors and '
            f'plain types.') from error
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError) as error:
        raise CheckpointLoadError(
            f'checkpoint {filename} is corrupt or not a torch checkpoint: {error}') from error
    return decode_plain(checkpoint)


CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
