"""Animal tracks from the files labs keep them in, as arrays: frames x tracks x keypoints x 2.

- SLEAP ``.slp``: every track of the first video (user instances, or predicted ones when no
  user instance is there);
- DeepLabCut multi-animal ``.h5`` / ``.csv`` (analysis or CollectedData tables): the
  ``individuals`` are the tracks, rows the frame indices (or ``img<frame>.png`` names);
- mmpose-animal's ``<video>.sequence.npz``.
"""
import os.path as osp
import re
from dataclasses import dataclass
from typing import List

import numpy as np

from ..utils.optional_import import require
from .sequence_file import load_sequence


@dataclass
class Tracks:
    """Tracked animals of one video.

    Args:
        points (np.ndarray): (T, N, K, 2) x, y; NaN where an animal or a point is missing.
        keypoint_names (List[str]): The K names.
        track_names (List[str]): The N names.
    """

    points: np.ndarray
    keypoint_names: List[str]
    track_names: List[str]

    def in_order_of(self, names: List[str], source: str) -> np.ndarray:
        """``points`` with the keypoints in the order of ``names``.

        Raises:
            ValueError: A name is not among this file's keypoints.
        """
        missing = [name for name in names if name not in self.keypoint_names]
        if missing:
            raise ValueError(f'{source}: no keypoint {missing} (it has {self.keypoint_names})')
        return self.points[:, :, [self.keypoint_names.index(name) for name in names]]


def _read_slp(path: str) -> Tracks:
    sleap_io = require('sleap_io', 'labels')
    labels = sleap_io.load_slp(path)
    if not labels.tracks:
        raise ValueError(f'{path}: no tracks; identities need tracked instances')
    return Tracks(labels.numpy(video=0, untracked=False), list(labels.skeletons[0].node_names),
                  [track.name for track in labels.tracks])


def _frame_index(row) -> int:
    """A DeepLabCut row's frame: the index itself, or the number in ``img<frame>.png``."""
    name = row[-1] if isinstance(row, tuple) else row
    if isinstance(name, (int, np.integer)):
        return int(name)
    found = re.search(r'(\d+)\D*$', str(name))
    if found is None:
        raise ValueError(f'row {row!r} names no frame number')
    return int(found.group(1))


def _read_dlc(path: str) -> Tracks:
    from .labels.read_dlc import read_table, table_individuals, table_points
    table = read_table(path)
    individuals = table_individuals(table)
    if not individuals:
        raise ValueError(f'{path}: a single-animal table (no individuals level); identities '
                         f'need a multi-animal one')
    names = list(dict.fromkeys(table.columns.get_level_values('bodyparts')))
    rows = table_points(table, names, path)[1]  # (rows, individuals, K, 2)
    frames = [_frame_index(row) for row in table.index]
    points = np.full((max(frames) + 1,) + rows.shape[1:], np.nan)
    points[frames] = rows
    return Tracks(points, names, individuals)


def read_tracks(path: str) -> Tracks:
    """The tracks of a SLEAP, DeepLabCut or mmpose-animal file (by its ending).

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: An unknown kind of file, or one without identities.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist')
    lower = path.lower()
    if lower.endswith('.slp'):
        return _read_slp(path)
    if lower.endswith(('.h5', '.csv')):
        return _read_dlc(path)
    if lower.endswith('.npz'):
        sequence = load_sequence(path)
        return Tracks(sequence.keypoints.astype(np.float64), list(sequence.keypoint_names),
                      sequence.instance_names)
    raise ValueError(f'{path}: not a SLEAP .slp, a DeepLabCut .h5 / .csv or a .sequence.npz')
