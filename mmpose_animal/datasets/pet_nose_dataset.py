"""The single-keypoint pet-nose dataset (Oxford-IIIT Pet images, one nose per image)."""
import os.path as osp
import warnings
from typing import List, Optional

import numpy as np

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS
from .annotation_checks import check_keypoints, read_image_size
from .nose_labels import read_nose_labels

MISSING_NAMES_SHOWN = 20


@DATASETS.register_module()
class PetNoseDataset(BaseCocoStyleDataset):
    """Pet noses: one keypoint per image, the whole image as the instance box.

    Keypoints::

        0: 'nose'

    Reads the public label files directly (``train_noses.txt``, ``test_noses.txt``,
    ``train_noses.3.txt``, ``train-noses.txt``: ``beagle_154.jpg,"(162, 169)"`` per line,
    original-image pixels), or a COCO-style json when ``ann_file`` ends with ``.json``.
    Image sizes come from the file headers; pixels are decoded only by the pipeline.

    Args:
        ann_file (str): The noses ``.txt`` file or a COCO ``.json`` file.
        skip_missing (bool): Leave out, with a warning naming them, images listed in the
            labels but absent on disk. Defaults to ``False`` (absent images are an error).
        **kwargs: As for :class:`mmpose.datasets.BaseCocoStyleDataset` (``data_root``,
            ``data_prefix``, ``pipeline``, ``test_mode``, ...).

    Raises:
        ValueError: A malformed line, a duplicated image, an empty label file, a corrupt
            image or a nose outside its image (naming the file and line).
        FileNotFoundError: Listed images are missing and ``skip_missing`` is ``False``.
    """

    METAINFO: dict = dict(from_file=osp.join(osp.dirname(__file__), 'metainfo', 'pet_nose.py'))

    def __init__(self, ann_file: str = '', skip_missing: bool = False, **kwargs):
        self.skip_missing = skip_missing
        super().__init__(ann_file=ann_file, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Read the labels (txt or json) into mmpose's top-down data list."""
        if self.ann_file.lower().endswith('.json'):
            return super().load_data_list()
        return self._load_nose_txt()

    def _load_nose_txt(self) -> List[dict]:
        labels = read_nose_labels(self.ann_file)
        data_list, missing = [], []
        for index, label in enumerate(labels):
            img_path = osp.join(self.data_prefix['img'], label.file_name)
            where = f'{self.ann_file}:{label.line_no}'
            if not osp.isfile(img_path):
                missing.append(label)
                continue
            img_w, img_h = read_image_size(img_path, where)
            keypoints = np.array([[[label.x, label.y]]], dtype=np.float32)
            visible = np.ones((1, 1), dtype=np.float32)
            check_keypoints(keypoints, visible, 1, img_w, img_h, where)
            data_list.append(dict(
                img_id=index,
                img_path=img_path,
                bbox=np.array([[0, 0, img_w, img_h]], dtype=np.float32),
                bbox_score=np.ones(1, dtype=np.float32),
                num_keypoints=1,
                keypoints=keypoints,
                keypoints_visible=visible,
                area=np.array(img_w * img_h, dtype=np.float32),
                iscrowd=0,
                segmentation=None,
                id=index,
                category_id=np.array(1),
            ))
        self._report_missing(missing)
        return data_list

    def _report_missing(self, missing: list) -> None:
        if not missing:
            return
        names = ', '.join(f'{m.file_name} (line {m.line_no})'
                          for m in missing[:MISSING_NAMES_SHOWN])
        more = f' and {len(missing) - MISSING_NAMES_SHOWN} more' \
            if len(missing) > MISSING_NAMES_SHOWN else ''
        message = (f'{len(missing)} image(s) listed in {self.ann_file} are missing from '
                   f'{self.data_prefix["img"]}: {names}{more}')
        if not self.skip_missing:
            raise FileNotFoundError(message + ' (pass skip_missing=True to leave them out)')
        warnings.warn(message + '; skipped (skip_missing=True)')

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """Parse one COCO annotation (json labels) and check its nose."""
        data_info = super().parse_data_info(raw_data_info)
        if data_info is not None:
            img = raw_data_info['raw_img_info']
            check_keypoints(data_info['keypoints'], data_info['keypoints_visible'], 1,
                            img['width'], img['height'],
                            f'{self.ann_file}: annotation id {data_info["id"]} '
                            f'({img["file_name"]})')
        return data_info
