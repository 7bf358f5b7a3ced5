"""Find the checkpoint to resume from, whatever state a killed run left its work dir in."""
import glob
import os
import os.path as osp
from typing import List, Optional

from .atomic_local_backend import PARTIAL_MARK
from .safe_checkpoint_loader import CheckpointLoadError, load_local_checkpoint


def remove_partial_files(work_dir: str) -> List[str]:
    """Delete the temporary files of writes a killed run did not finish; return them."""
    partial = sorted(glob.glob(osp.join(work_dir, f'*{PARTIAL_MARK}*')))
    for path in partial:
        try:
            os.remove(path)
        except FileNotFoundError:  # another rank of the same run removed it first
            pass
    return partial


def latest_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint to resume from: the one ``last_checkpoint`` names when it loads, else
    the newest ``*.pth`` of ``work_dir`` that loads; ``None`` when there is none.

    Every candidate is read with the safe loader, so a file that is not a whole checkpoint
    is passed over, not resumed from.
    """
    named = None
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as file:
            named = file.read().strip() or None
    candidates = sorted(glob.glob(osp.join(work_dir, '*.pth')), key=osp.getmtime, reverse=True)
    if named:
        candidates.insert(0, named)
    for path in candidates:
        try:
            load_local_checkpoint(path, map_location='cpu')
        except (FileNotFoundError, CheckpointLoadError):
            continue
        return path
    return None
