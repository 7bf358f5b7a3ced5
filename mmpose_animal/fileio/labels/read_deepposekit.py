"""Read a DeepPoseKit annotation file (``.h5``), any number of keypoints.

Datasets: ``images`` (N, H, W, C) uint8, ``annotations`` (N, K, 2) x, y, optional
``annotated`` (N, K) bool and ``skeleton`` (K, 2) int (parent, swap; -1 for none).
Names come from DeepPoseKit's skeleton CSV (columns ``name``, ``parent``, ``swap``) when
given, else ``keypoint_<k>``.
"""
import os.path as osp
from typing import List, Optional, Tuple

import numpy as np

from ...utils.optional_import import require
from .label_format import LabelFormat, LabelOption
from .label_set import LabelledFrame, LabelSet

h5py = require('h5py', 'labels')
pd = require('pandas', 'labels')


def _open_h5(path: str) -> h5py.File:
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist')
    return h5py.File(path, 'r')


def read_skeleton_csv(path: str, num_keypoints: int
                      ) -> Tuple[List[str], List[Tuple[int, int]], List[Tuple[int, int]]]:
    """(Names, links to parents, swap pairs) from a DeepPoseKit skeleton CSV."""
    table = pd.read_csv(path)
    if 'name' not in table.columns:
        raise ValueError(f'{path}: no "name" column (DeepPoseKit skeleton CSV: name, parent, '
                         f'swap)')
    names = [str(n) for n in table['name']]
    if len(names) != num_keypoints:
        raise ValueError(f'{path}: {len(names)} names but the annotations have '
                         f'{num_keypoints} keypoints')

    def pairs(column: str) -> List[Tuple[int, int]]:
        if column not in table.columns:
            return []
        found = []
        for row, (name, other) in enumerate(zip(names, table[column]), start=2):
            if pd.isna(other) or str(other) == '':
                continue
            if str(other) not in names:
                raise ValueError(f'{path}:{row}: {column} {other!r} is not a keypoint name')
            found.append((names.index(name), names.index(str(other))))
        return found

    swaps = pairs('swap')
    return names, pairs('parent'), sorted({tuple(sorted(p)) for p in swaps}) if swaps else []


def _h5_skeleton(file, num_keypoints: int):
    if 'skeleton' not in file:
        return [], []
    skeleton = np.asarray(file['skeleton'][()])
    if skeleton.shape != (num_keypoints, 2):
        return [], []
    links = [(int(p), k) for k, p in enumerate(skeleton[:, 0]) if 0 <= p < num_keypoints]
    swaps = {tuple(sorted((k, int(s)))) for k, s in enumerate(skeleton[:, 1])
             if 0 <= s < num_keypoints and s != k}
    return links, sorted(swaps)


def read_deepposekit(path: str, skeleton_csv: Optional[str] = None,
                     ignore_annotated_flags: bool = False) -> LabelSet:
    """Read a DeepPoseKit annotation file.

    Args:
        path (str): The ``.h5`` file.
        skeleton_csv (str, optional): DeepPoseKit's skeleton CSV, for names and swaps.
        ignore_annotated_flags (bool): Take every coordinate as a label even where
            ``annotated`` is False. Defaults to ``False``.

    Raises:
        KeyError: ``images`` or ``annotations`` is missing.
        ValueError: Shapes disagree, or ``annotated`` is all False (nothing confirmed) and
            ``ignore_annotated_flags`` is not set.
    """
    file = _open_h5(path)
    with file:
        for key in ('images', 'annotations'):
            if key not in file:
                raise KeyError(f'{path}: no dataset {key!r} (found {sorted(file.keys())}); '
                               f'expected a DeepPoseKit annotation file')
        images, annotations = file['images'], np.asarray(file['annotations'][()], np.float64)
        num = images.shape[0]
        if annotations.ndim != 3 or annotations.shape[0] != num or annotations.shape[2] != 2:
            raise ValueError(f'{path}: annotations have shape {annotations.shape}, expected '
                             f'({num}, K, 2)')
        num_keypoints = annotations.shape[1]
        annotated = np.asarray(file['annotated'][()], bool) if 'annotated' in file else None
        if annotated is not None and annotated.shape != (num, num_keypoints):
            raise ValueError(f'{path}: annotated has shape {annotated.shape}, expected '
                             f'({num}, {num_keypoints})')
        links, swaps = _h5_skeleton(file, num_keypoints)
    check_annotated_flags(annotated, path, ignore_annotated_flags)
    if annotated is not None and not ignore_annotated_flags:
        annotations[~annotated] = np.nan
    names = [f'keypoint_{k}' for k in range(num_keypoints)]
    if skeleton_csv:
        names, links, swaps = read_skeleton_csv(skeleton_csv, num_keypoints)
    frames = [LabelledFrame(image=_h5_image_loader(path, index), name=f'frames/{index:06d}.png',
                            group='frames', where=f'{path}: frame {index}',
                            instances=annotations[index][None])
              for index in range(num)]
    return LabelSet(source=path, keypoint_names=names, frames=frames, links=links,
                    flip_pairs=swaps or None)


def check_annotated_flags(annotated: Optional[np.ndarray], path: str, ignore: bool) -> None:
    """Refuse a DeepPoseKit file whose ``annotated`` flags are all False, unless ``ignore``.

    Such files (example and exported sets whose points were never confirmed in DeepPoseKit's
    GUI) hold real coordinates, but honouring the flags would leave no labelled point.

    Raises:
        ValueError: Every flag is False and ``ignore`` is not set.
    """
    if annotated is not None and annotated.size and not annotated.any() and not ignore:
        raise ValueError(
            f'{path}: every entry of its "annotated" array ({annotated.shape[0]} frames x '
            f'{annotated.shape[1]} keypoints) is False, so no point counts as labelled. If '
            f'the coordinates are real labels (points never confirmed in DeepPoseKit\'s GUI), '
            f'pass --ignore-annotated-flags (ignore_annotated_flags=True) to take them as '
            f'labels.')


def _h5_image_loader(path: str, index: int):
    def load() -> np.ndarray:
        with _open_h5(path) as file:
            image = np.asarray(file['images'][index])
        return image[..., 0] if image.ndim == 3 and image.shape[2] == 1 else image
    return load


DEEPPOSEKIT = LabelFormat(
    name='deepposekit', description='a DeepPoseKit .h5', read=read_deepposekit,
    suffixes=('.h5', '.hdf5'),
    options=(LabelOption('skeleton_csv', 'skeleton CSV (name, parent, swap)'),
             LabelOption('ignore_annotated_flags', 'take coordinates as labels where '
                         'annotated=False', is_flag=True)))
