"""The 17-keypoint fruit-fly dataset (COCO-style json)."""
import os.path as osp

from mmpose.registry import DATASETS
from .animal_keypoint_dataset import AnimalKeypointDataset


@DATASETS.register_module()
class Fly17Dataset(AnimalKeypointDataset):
    """Fruit flies seen from above, 17 keypoints from the Vinegar Fly skeleton.

    A 17-point subset of the 32-point Vinegar Fly data (Pereira et al., Nature Methods
    2019; mmpose's ``FlyDataset``). Convert the public data with
    ``tools/dataset_converters/fly32_to_fly17.py``.

    Keypoints::

        0: 'head',       1: 'thorax',     2: 'abdomen',
        3: 'wingL',      4: 'wingR',
        5: 'forelegL2',  6: 'forelegL4',  7: 'forelegR2',  8: 'forelegR4',
        9: 'midlegL2',  10: 'midlegL4',  11: 'midlegR2',  12: 'midlegR4',
        13: 'hindlegL2', 14: 'hindlegL4', 15: 'hindlegR2', 16: 'hindlegR4'

    Every annotation must carry 17 keypoints, visible ones inside the image; an image the
    json names must exist. Args are those of :class:`mmpose.datasets.BaseCocoStyleDataset`.
    """

    METAINFO: dict = dict(from_file=osp.join(osp.dirname(__file__), 'metainfo', 'fly17.py'))
