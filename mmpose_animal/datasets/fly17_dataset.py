"""The 17-keypoint fruit-fly dataset (COCO-style json)."""
import os.path as osp
from typing import Optional

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS
from .annotation_checks import check_keypoints


@DATASETS.register_module()
class Fly17Dataset(BaseCocoStyleDataset):
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

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """Parse one COCO annotation and check its keypoints and image."""
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        where = f'{self.ann_file}: annotation id {ann.get("id")} ({img.get("file_name")})'
        if 'keypoints' in ann and len(ann['keypoints']) != 3 * self.metainfo['num_keypoints']:
            raise ValueError(f'{where}: {len(ann["keypoints"])} keypoint values, expected '
                             f'{3 * self.metainfo["num_keypoints"]} (17 x [x, y, v])')
        data_info = super().parse_data_info(raw_data_info)
        if data_info is None:
            return None
        if not osp.isfile(data_info['img_path']):
            raise FileNotFoundError(f'{where}: image {data_info["img_path"]} does not exist')
        check_keypoints(data_info['keypoints'], data_info['keypoints_visible'],
                        self.metainfo['num_keypoints'], img['width'], img['height'], where)
        return data_info
