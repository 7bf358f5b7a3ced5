"""Read a Lightning Pose project: ``CollectedData.csv`` at the project root (DeepLabCut-style
header rows scorer / bodyparts / coords, one row per labelled image, paths relative to the
project), or one ``CollectedData_<view>.csv`` per camera view in a multi-view project.

Lightning Pose projects have no ``config.yaml`` beside the labels (their config lives with
the model). Keypoints of mirrored views (``nose_top`` / ``nose_bot``) are separate keypoints
of one image; the views of a multi-view project share their keypoint names, and each view's
frames form one group (``--split-by video`` keeps a view in one split).
"""
import glob
import os.path as osp
from typing import List, Tuple

from .label_format import LabelFormat
from .label_set import LabelledFrame, LabelSet
from .read_dlc import read_table, table_frames, table_points

TABLE_PATTERN = 'CollectedData*.csv'


def find_view_tables(project: str) -> List[Tuple[str, str]]:
    """(View name, CSV) of each label table at the project root; the view is ``''`` for
    ``CollectedData.csv`` and ``<view>`` for ``CollectedData_<view>.csv``.

    Raises:
        FileNotFoundError: The folder holds no ``CollectedData*.csv``.
    """
    tables = sorted(glob.glob(osp.join(project, TABLE_PATTERN)))
    if not tables:
        raise FileNotFoundError(f'{project}: no {TABLE_PATTERN} at the project root; expected '
                                f'a Lightning Pose project folder')
    views = []
    for path in tables:
        stem = osp.splitext(osp.basename(path))[0]
        views.append((stem[len('CollectedData'):].lstrip('_'), path))
    return views


def read_lightning_pose(project: str) -> LabelSet:
    """Read every labelled image of a Lightning Pose project.

    Args:
        project (str): The project folder (``CollectedData*.csv``, ``labeled-data/``).

    Returns:
        LabelSet: Keypoints in CSV column order, one frame per row with at least one
        labelled point (rows without any are noted and left out by the writer).

    Raises:
        FileNotFoundError: No label table, or an image a row names is missing.
        ValueError: Views with different keypoints, a malformed table, a value that is not
            a number, or an image labelled twice.
    """
    views = find_view_tables(project)
    names: List[str] = []
    frames: List[LabelledFrame] = []
    seen = {}
    for view, path in views:
        table = read_table(path)
        view_names = list(dict.fromkeys(table.columns.get_level_values('bodyparts')))
        if not names:
            names = view_names
        elif view_names != names:
            raise ValueError(f'{path}: keypoints {view_names} differ from those of '
                             f'{views[0][1]} ({names}); the views of a project share them')
        image_paths, points = table_points(table, names, path)
        frames += table_frames(project, path, image_paths, points, seen, view)
    return LabelSet(source=project, keypoint_names=names, frames=frames)


LIGHTNING_POSE = LabelFormat(name='lp', description='a Lightning Pose project folder '
                             '(CollectedData.csv at its root)', read=read_lightning_pose,
                             is_folder=True, marker=TABLE_PATTERN)
