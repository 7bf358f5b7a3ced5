"""Write local files atomically, so a killed run never leaves a torn checkpoint behind.

Registered as mmengine file backend ``atomic_local``; ``tools/train.py`` points the
CheckpointHook at it (``backend_args=dict(backend='atomic_local')``). Every file is written
to ``<name>.partial-<pid>`` in the same folder, flushed to disk and renamed over ``<name>``:
a reader sees the old file or the whole new one, never a part.
"""
import os
import os.path as osp
from pathlib import Path
from typing import Union

from mmengine.fileio import LocalBackend, register_backend

PARTIAL_MARK = '.partial-'


class AtomicLocalBackend(LocalBackend):
    """mmengine's local backend with atomic ``put`` and ``put_text``."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Write ``obj`` to ``filepath`` atomically (temporary file, fsync, rename)."""
        filepath = str(filepath)
        os.makedirs(osp.dirname(filepath) or '.', exist_ok=True)
        partial = f'{filepath}{PARTIAL_MARK}{os.getpid()}'
        try:
            with open(partial, 'wb') as file:
                self.write_bytes(file, obj)
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, filepath)
        except BaseException:
            if osp.exists(partial):
                os.remove(partial)
            raise

    def put_text(self, obj: str, filepath: Union[str, Path], encoding: str = 'utf-8') -> None:
        """Write text to ``filepath`` atomically."""
        self.put(obj.encode(encoding), filepath)

    @staticmethod
    def write_bytes(file, data: bytes) -> None:
        """Write ``data`` to the open temporary ``file`` (a seam for tests)."""
        file.write(data)


register_backend('atomic_local', AtomicLocalBackend)
