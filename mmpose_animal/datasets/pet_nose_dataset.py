"""The single-keypoint pet-nose dataset (Oxford-IIIT Pet images, one nose per image)."""
import json
import os.path as osp
import tempfile
import warnings
from typing import List, Optional, Tuple

import numpy as np

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS
from .annotation_checks import check_keypoints
from .image_checks import verify_data_list

SUBSETS = (None, 'train', 'val')


@DATASETS.register_module()
class PetNoseDataset(BaseCocoStyleDataset):
    """Pet noses: one keypoint per image, the whole image as the instance box.

    Keypoints::

        0: 'nose'

    Reads the public label files directly (``train_noses.txt``, ``test_noses.txt``,
    ``train_noses.3.txt``, ``train-noses.txt``: ``beagle_154.jpg,"(162, 169)"`` per line,
    original-image pixels), or a COCO-style json when ``ann_file`` ends with ``.json``. Both
    go through mmpose's own COCO loading (``data_mode``, ``bbox_file``, ``sample_interval``
    apply) and give identical samples; image ids are the label's 0-based index in the file.

    The public data has no validation split: ``subset='val'`` takes a deterministic
    ``val_ratio`` of the images (by ``seed``) and ``subset='train'`` the rest, so the best
    checkpoint is chosen without looking at the test file.

    Args:
        ann_file (str): The noses ``.txt`` file or a COCO ``.json`` file.
        skip_missing (bool): Leave out, with a warning naming them, images listed in the
            labels but absent on disk. Defaults to ``False`` (absent images are an error).
        subset (str, optional): ``None`` (every image), ``'train'`` or ``'val'``.
        val_ratio (float): Fraction of the images in the ``'val'`` subset. Defaults to
            ``0.1``.
        seed (int): Seed of the subset split. Defaults to ``0``.
        verify_images (bool): Decode every image when the dataset is built, so a corrupt
            file is an error now (naming every bad image and its line), not a crash
            mid-epoch. Defaults to ``False``.
        skip_invalid_images (bool): With ``verify_images``, leave the images that do not
            decode out, with a warning naming them. Defaults to ``False``.
        **kwargs: As for :class:`mmpose.datasets.BaseCocoStyleDataset` (``data_root``,
            ``data_prefix``, ``pipeline``, ``test_mode``, ...).

    Raises:
        ValueError: A malformed line, a duplicated image, an empty label file, a corrupt
            image, a nose outside its image (naming the file and line), or a bad ``subset``
            / ``val_ratio``.
        FileNotFoundError: Listed images are missing and ``skip_missing`` is ``False``.
    """

    METAINFO: dict = dict(from_file=osp.join(osp.dirname(__file__), 'metainfo', 'pet_nose.py'))

    def __init__(self, ann_file: str = '', skip_missing: bool = False,
                 subset: Optional[str] = None, val_ratio: float = 0.1, seed: int = 0,
                 verify_images: bool = False, skip_invalid_images: bool = False, **kwargs):
        if subset not in SUBSETS:
            raise ValueError(f'subset must be one of {SUBSETS}, got {subset!r}')
        if not 0 < val_ratio < 1:
            raise ValueError(f'val_ratio must be in (0, 1), got {val_ratio}')
        self.skip_missing = skip_missing
        self.subset, self.val_ratio, self.seed = subset, val_ratio, seed
        self.verify_images, self.skip_invalid_images = verify_images, skip_invalid_images
        self.label_file = None  # the noses file, while its in-memory json is loaded
        super().__init__(ann_file=ann_file, **kwargs)

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        """mmpose's COCO loading, for a json or (converted in memory) a noses file."""
        if self.ann_file.lower().endswith('.json'):
            return super()._load_annotations()
        from ..data_tools.petnose_to_coco import missing_message, nose_coco
        coco, missing = nose_coco(self.ann_file, self.data_prefix['img'], self.skip_missing)
        if missing:
            warnings.warn(missing_message(missing, self.ann_file, self.data_prefix['img'])
                          + '; skipped (skip_missing=True)')
        label_file = self.label_file = self.ann_file  # messages name it, not the temp json
        with tempfile.TemporaryDirectory() as folder:
            self.ann_file = osp.join(folder, 'noses.json')
            with open(self.ann_file, 'w') as file:
                json.dump(coco, file)
            try:
                return super()._load_annotations()
            finally:
                self.ann_file = label_file

    def load_data_list(self) -> List[dict]:
        """mmpose's data list (images decoded with ``verify_images``), reduced to the
        ``subset`` asked for."""
        data_list = super().load_data_list()
        if self.verify_images:
            data_list = verify_data_list(data_list, self.ann_file, self.skip_invalid_images)
        if self.subset is None:
            return data_list
        image_ids = sorted({info['img_id'] for info in data_list})
        order = np.random.default_rng(self.seed).permutation(len(image_ids))
        val = {image_ids[i] for i in order[:max(1, int(round(len(image_ids) * self.val_ratio)))]}
        return [info for info in data_list if (info['img_id'] in val) == (self.subset == 'val')]

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """Parse one COCO annotation and check its nose."""
        data_info = super().parse_data_info(raw_data_info)
        if data_info is not None:
            ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
            where = (f'{self.label_file}:{ann["line_no"]}' if self.label_file else
                     f'{self.ann_file}: annotation id {data_info["id"]} ({img["file_name"]})')
            check_keypoints(data_info['keypoints'], data_info['keypoints_visible'], 1,
                            img['width'], img['height'], where)
        return data_info
