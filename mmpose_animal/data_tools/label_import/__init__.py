"""Import keypoint labels from DeepLabCut, SLEAP, DeepPoseKit and COCO into mmpose datasets.

``read_labels`` reads a source into a :class:`LabelSet`; ``write_dataset`` writes it as
``annotations/{train,val,test}.json``, ``images/`` and ``metainfo.py``.
"""
import os.path as osp
from typing import Optional

from .flip_pairs import check_flip_pairs, infer_flip_pairs, parse_flip_pairs
from .label_set import LabelledFrame, LabelSet
from .read_coco import read_coco
from .read_deepposekit import check_annotated_flags, read_deepposekit
from .read_dlc import read_dlc_project
from .read_sleap import read_slp
from .write_dataset import ImportSummary, keypoint_box, write_dataset

FORMATS = ('dlc', 'slp', 'deepposekit', 'coco')


def detect_format(source: str) -> str:
    """``dlc`` for a folder, ``slp`` for .slp, ``deepposekit`` for .h5, ``coco`` for .json.

    Raises:
        FileNotFoundError: ``source`` does not exist.
        ValueError: Its kind is not one of :data:`FORMATS`.
    """
    if not osp.exists(source):
        raise FileNotFoundError(f'{source} does not exist')
    if osp.isdir(source):
        return 'dlc'
    lower = source.lower()
    for suffix, kind in (('.slp', 'slp'), ('.h5', 'deepposekit'), ('.hdf5', 'deepposekit'),
                         ('.json', 'coco')):
        if lower.endswith(suffix):
            return kind
    raise ValueError(f'{source}: unknown label source; expected a DeepLabCut project folder, '
                     f'a SLEAP .slp, a DeepPoseKit .h5 or a COCO .json')


def read_labels(source: str, fmt: Optional[str] = None, image_root: Optional[str] = None,
                include_predicted: bool = False, skeleton_csv: Optional[str] = None,
                ignore_annotated_flags: bool = False) -> LabelSet:
    """Read labels from ``source`` (format detected unless ``fmt`` is given).

    Args:
        source (str): DLC project folder, .slp, DeepPoseKit .h5 or COCO .json.
        fmt (str, optional): One of :data:`FORMATS`.
        image_root (str, optional): Image folder of a COCO json (default: the json's
            folder).
        include_predicted (bool): SLEAP: also import predicted instances.
        skeleton_csv (str, optional): DeepPoseKit: skeleton CSV with the names.
        ignore_annotated_flags (bool): DeepPoseKit: take coordinates as labels even where
            ``annotated`` is False.
    """
    fmt = fmt or detect_format(source)
    if fmt == 'dlc':
        return read_dlc_project(source)
    if fmt == 'slp':
        return read_slp(source, include_predicted=include_predicted)
    if fmt == 'deepposekit':
        return read_deepposekit(source, skeleton_csv, ignore_annotated_flags)
    if fmt == 'coco':
        return read_coco(source, image_root or osp.dirname(osp.abspath(source)))
    raise ValueError(f'format must be one of {FORMATS}, got {fmt!r}')


__all__ = ['FORMATS', 'ImportSummary', 'LabelSet', 'LabelledFrame', 'check_annotated_flags',
           'check_flip_pairs', 'detect_format', 'infer_flip_pairs', 'keypoint_box',
           'parse_flip_pairs', 'read_coco', 'read_deepposekit', 'read_dlc_project',
           'read_labels', 'read_slp', 'write_dataset']
