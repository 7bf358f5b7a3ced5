"""Import keypoint labels from DeepLabCut, SLEAP, DeepPoseKit and COCO into mmpose datasets.

``read_labels`` reads a source into a :class:`LabelSet`; ``write_dataset`` writes it as
``annotations/{train,val,test}.json``, ``images/`` and ``metainfo.py``. The formats are the
table :data:`LABEL_FORMATS`: each reader module declares its :class:`LabelFormat`.
"""
import os.path as osp
from typing import Optional

from .flip_pairs import check_flip_pairs, infer_flip_pairs, parse_flip_pairs
from .label_format import LabelFormat, LabelOption
from .label_set import LabelledFrame, LabelSet
from .read_coco import COCO, read_coco
from .read_deepposekit import DEEPPOSEKIT, check_annotated_flags, read_deepposekit
from .read_dlc import DLC, read_dlc_project
from .read_lightning_pose import LIGHTNING_POSE, read_lightning_pose
from .read_sleap import SLEAP, read_slp
from .write_dataset import ImportSummary, write_dataset

LABEL_FORMATS = (DLC, LIGHTNING_POSE, SLEAP, DEEPPOSEKIT, COCO)
FORMATS = tuple(label_format.name for label_format in LABEL_FORMATS)


def find_format(source: str, fmt: Optional[str] = None) -> LabelFormat:
    """The :class:`LabelFormat` named ``fmt``, or the one that recognises ``source``.

    Raises:
        FileNotFoundError: ``source`` does not exist.
        ValueError: ``fmt`` is unknown, or no format recognises ``source``.
    """
    if not osp.exists(source):
        raise FileNotFoundError(f'{source} does not exist')
    if fmt is not None:
        named = [f for f in LABEL_FORMATS if f.name == fmt]
        if not named:
            raise ValueError(f'format must be one of {FORMATS}, got {fmt!r}')
        return named[0]
    for label_format in LABEL_FORMATS:
        if label_format.recognises(source):
            return label_format
    if osp.isdir(source):
        projects = [f for f in LABEL_FORMATS if f.is_folder]
        expected = ' or '.join(f'{f.marker} ({f.description})' for f in projects)
        raise FileNotFoundError(f'{source}: no project file found; expected {expected}')
    expected = ', '.join(f.description for f in LABEL_FORMATS)
    raise ValueError(f'{source}: unknown label source; expected one of: {expected}')


def detect_format(source: str) -> str:
    """The name of the format that recognises ``source`` (see :func:`find_format`)."""
    return find_format(source).name


def read_labels(source: str, fmt: Optional[str] = None, **options) -> LabelSet:
    """Read labels from ``source`` (format detected unless ``fmt`` is given).

    Args:
        source (str): A DLC project folder, .slp, DeepPoseKit .h5 or COCO .json.
        fmt (str, optional): One of :data:`FORMATS`.
        **options: The format's own options (its :attr:`LabelFormat.options`, e.g.
            ``include_predicted`` for SLEAP); ``None`` and ``False`` mean "not given".

    Raises:
        ValueError: An option the format does not take (naming the ones it does), besides
            the reader's own errors.
    """
    label_format = find_format(source, fmt)
    given = {name: value for name, value in options.items()
             if value is not None and value is not False}
    known = {option.name for option in label_format.options}
    unknown = sorted(set(given) - known)
    if unknown:
        takes = ', '.join(sorted(known)) or 'no options'
        raise ValueError(f'{source} is {label_format.description}, which takes {takes}; '
                         f'got {", ".join(unknown)}')
    return label_format.read(source, **given)


__all__ = ['FORMATS', 'ImportSummary', 'LABEL_FORMATS', 'LabelFormat', 'LabelOption',
           'LabelSet', 'LabelledFrame', 'check_annotated_flags', 'check_flip_pairs',
           'detect_format', 'find_format', 'infer_flip_pairs',
           'parse_flip_pairs', 'read_coco', 'read_deepposekit', 'read_dlc_project',
           'read_labels', 'read_lightning_pose', 'read_slp', 'write_dataset']
