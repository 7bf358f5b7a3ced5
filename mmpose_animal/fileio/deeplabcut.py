"""DeepLabCut's files, in one place: a project's ``config.yaml``, the column MultiIndex of its
label and prediction tables, and the names of its labelled images."""
import datetime
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..utils.optional_import import require

pd = require('pandas', 'labels')
yaml = require('yaml', 'labels')

SCORER = 'mmpose-animal'  # the scorer of our predictions and machine labels
COORDS = ('x', 'y', 'likelihood')


def table_columns(bodyparts: Sequence[str], individuals: Optional[Sequence[str]] = None,
                  scorer: str = SCORER, coords: Sequence[str] = COORDS) -> 'pd.MultiIndex':
    """The columns of a DeepLabCut table: scorer / bodyparts / coords, with an
    ``individuals`` level after the scorer for multi-animal tables."""
    if individuals is None:
        return pd.MultiIndex.from_product([[scorer], list(bodyparts), list(coords)],
                                          names=['scorer', 'bodyparts', 'coords'])
    return pd.MultiIndex.from_product([[scorer], list(individuals), list(bodyparts),
                                       list(coords)],
                                      names=['scorer', 'individuals', 'bodyparts', 'coords'])


def read_project_config(project: str) -> dict:
    """Load ``<project>/config.yaml``.

    Raises:
        FileNotFoundError: There is no config.yaml (the DLC project layout is required).
        ValueError: It is not YAML, or not a mapping.
    """
    path = osp.join(project, 'config.yaml')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{project}: no config.yaml; expected a DeepLabCut project '
                                f'folder (config.yaml and labeled-data/)')
    with open(path) as file:
        try:
            config = yaml.safe_load(file)
        except yaml.YAMLError as error:
            raise ValueError(f'{path}: not valid YAML ({error})') from error
    if not isinstance(config, dict):
        raise ValueError(f'{path}: expected a mapping of DeepLabCut settings')
    return config


def write_project_config(project: str, config: dict) -> str:
    """Write ``config`` as ``<project>/config.yaml`` (keys in their order)."""
    path = osp.join(project, 'config.yaml')
    with open(path, 'w') as file:
        yaml.safe_dump(config, file, sort_keys=False)
    return path


def new_project_config(project: str, names: Sequence[str], links: Sequence[Tuple[int, int]],
                       individuals: Optional[Sequence[str]] = None,
                       scorer: str = SCORER) -> dict:
    """The config.yaml of a new DeepLabCut project (multi-animal with ``individuals``)."""
    multi = bool(individuals)
    config = {
        'Task': osp.basename(osp.abspath(project)), 'scorer': scorer,
        'date': datetime.date.today().strftime('%b%d'), 'multianimalproject': multi,
        'identity': None, 'project_path': osp.abspath(project), 'engine': 'pytorch',
        'video_sets': {}, 'bodyparts': 'MULTI!' if multi else list(names), 'start': 0,
        'stop': 1, 'numframes2pick': 20,
        'skeleton': [[names[a], names[b]] for a, b in links], 'skeleton_color': 'black',
        'pcutoff': 0.6, 'dotsize': 12, 'alphavalue': 0.7, 'colormap': 'rainbow',
        'TrainingFraction': [0.95], 'iteration': 0, 'default_net_type': 'resnet_50',
        'default_augmenter': 'default', 'snapshotindex': -1, 'batch_size': 8,
        'cropping': False, 'x1': 0, 'x2': 640, 'y1': 277, 'y2': 624, 'corner2move2': [50, 50],
        'move2corner': True,
    }
    if multi:
        config.update(individuals=list(individuals), uniquebodyparts=[],
                      multianimalbodyparts=list(names))
    return config


def project_bodyparts(config: dict, path: str) -> Tuple[List[str], bool]:
    """(Body parts in config order, whether the project is multi-animal).

    Raises:
        ValueError: The config lists no body parts.
    """
    multi = bool(config.get('multianimalproject'))
    key = 'multianimalbodyparts' if multi else 'bodyparts'
    names = config.get(key)
    if not isinstance(names, list) or not names:
        raise ValueError(f'{path}: {key!r} lists no body parts')
    return [str(name) for name in names], multi


def image_name(frame: int, num_frames: int) -> str:
    """``img<frame>.png``, zero-padded to the digits of the frame count (DeepLabCut's)."""
    width = max(1, int(np.ceil(np.log10(max(num_frames, 2)))))
    return f'img{str(frame).zfill(width)}.png'
