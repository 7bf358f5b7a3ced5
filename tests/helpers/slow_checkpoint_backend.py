"""A test-only file backend: atomic writes that take a while and mark their progress, so a
test can kill a run while a checkpoint is being written."""
import os
import os.path as osp
import time

from mmengine.fileio import register_backend

from mmpose_animal.engine.atomic_local_backend import AtomicLocalBackend

WRITING_MARKER = 'WRITING_CHECKPOINT'


class SlowAtomicLocalBackend(AtomicLocalBackend):
    """Writes half the bytes, marks ``WRITING_CHECKPOINT`` in the folder, waits, finishes."""

    @staticmethod
    def write_bytes(file, data: bytes) -> None:
        marker = osp.join(osp.dirname(file.name), WRITING_MARKER)
        file.write(data[:len(data) // 2])
        file.flush()
        open(marker, 'w').close()
        time.sleep(0.7)
        file.write(data[len(data) // 2:])
        os.remove(marker)


register_backend('slow_atomic_local', SlowAtomicLocalBackend)
