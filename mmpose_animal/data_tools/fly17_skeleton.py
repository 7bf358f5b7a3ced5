"""Keypoint names of the 17- and 32-point fly skeletons, and the mapping between them."""
from typing import List, Tuple

from mmpose.datasets.datasets.utils import parse_pose_metainfo

from ..datasets.fly17_dataset import Fly17Dataset

# The 32 points of the Vinegar Fly data, in the order of DeepPoseKit's annotation files and
# of mmpose's FlyDataset (configs/_base_/datasets/fly.py).
FLY32_NAMES: Tuple[str, ...] = (
    'head', 'eyeL', 'eyeR', 'neck', 'thorax', 'abdomen',
    'forelegR1', 'forelegR2', 'forelegR3', 'forelegR4',
    'midlegR1', 'midlegR2', 'midlegR3', 'midlegR4',
    'hindlegR1', 'hindlegR2', 'hindlegR3', 'hindlegR4',
    'forelegL1', 'forelegL2', 'forelegL3', 'forelegL4',
    'midlegL1', 'midlegL2', 'midlegL3', 'midlegL4',
    'hindlegL1', 'hindlegL2', 'hindlegL3', 'hindlegL4',
    'wingL', 'wingR')


def _fly17_meta() -> dict:
    return parse_pose_metainfo(Fly17Dataset.METAINFO)


def fly17_names() -> List[str]:
    """The 17 keypoint names, in dataset order (read from the metainfo file)."""
    meta = _fly17_meta()
    return [meta['keypoint_id2name'][i] for i in range(meta['num_keypoints'])]


def fly17_skeleton() -> List[Tuple[int, int]]:
    """Skeleton links as pairs of keypoint indices."""
    return [tuple(link) for link in _fly17_meta()['skeleton_links']]


def fly32_to_fly17_indices() -> List[int]:
    """For each fly17 keypoint, its index among :data:`FLY32_NAMES`."""
    return [FLY32_NAMES.index(name) for name in fly17_names()]
