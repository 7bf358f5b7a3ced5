"""Encode mmengine checkpoint metadata as plain Python types, and decode it back.

mmengine stores numpy arrays (``meta.dataset_meta``), numpy scalars (runtime info such as
``best_score``) and :class:`~mmengine.logging.HistoryBuffer` objects (``message_hub``) in its
checkpoints. None of them loads under ``torch.load(weights_only=True)``, and allow-listing them
would mean allow-listing ``builtins.getattr``. Encoding them as tagged dicts of lists and numbers
keeps every checkpoint loadable by the safe unpickler with no allow-list at all.
"""
from typing import Any

import numpy as np
from mmengine.logging import HistoryBuffer

NDARRAY_TAG = '__ndarray__'
HISTORY_BUFFER_TAG = '__history_buffer__'


def encode_plain(obj: Any) -> Any:
    """Return ``obj`` with numpy objects and history buffers replaced by plain types.

    Tensors, strings, numbers and containers are kept; tuples stay tuples.

    Args:
        obj (Any): A checkpoint or any part of one.

    Returns:
        Any: The same structure, made only of types ``weights_only`` unpickling accepts.
    """
    if isinstance(obj, HistoryBuffer):
        log_history, count_history = obj.data
        return {HISTORY_BUFFER_TAG: dict(
            log_history=log_history.tolist(), count_history=count_history.tolist(),
            max_length=int(obj.max_length))}
    if isinstance(obj, np.ndarray):
        return {NDARRAY_TAG: obj.tolist(), 'dtype': obj.dtype.str}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return type(obj)((key, encode_plain(value)) for key, value in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(encode_plain(value) for value in obj)
    return obj


def decode_plain(obj: Any) -> Any:
    """Invert :func:`encode_plain`: rebuild numpy arrays and history buffers.

    Args:
        obj (Any): A structure produced by :func:`encode_plain` (or any plain structure,
            which is returned unchanged).

    Returns:
        Any: The structure with tagged dicts turned back into their objects.
    """
    if isinstance(obj, dict):
        if NDARRAY_TAG in obj:
            return np.array(obj[NDARRAY_TAG], dtype=np.dtype(obj['dtype']))
        if HISTORY_BUFFER_TAG in obj:
            return HistoryBuffer(**obj[HISTORY_BUFFER_TAG])
        return type(obj)((key, decode_plain(value)) for key, value in obj.items())
    if isinstance(obj, (list, tuple)):
        return type(obj)(decode_plain(value) for value in obj)
    return obj
