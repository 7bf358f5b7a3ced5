"""The single-keypoint pet-nose dataset (Oxford-IIIT Pet images, one nose per image)."""
import os.path as osp
import warnings
from typing import List, Optional, Tuple

import numpy as np

from mmpose.registry import DATASETS
from .animal_keypoint_dataset import AnimalKeypointDataset
from .nose_labels import missing_images, missing_message, nose_coco_entry, read_nose_labels

SUBSETS = (None, 'train', 'val')


@DATASETS.register_module()
class PetNoseDataset(AnimalKeypointDataset):
    """Pet noses: one keypoint per image, the whole image as the instance box.

    Keypoints::

        0: 'nose'

    Reads the public label files directly (``train_noses.txt``, ``test_noses.txt``,
    ``train_noses.3.txt``, ``train-noses.txt``: ``beagle_154.jpg,"(162, 169)"`` per line,
    original-image pixels), or a COCO-style json when ``ann_file`` ends with ``.json``. Each
    label becomes the COCO image and annotation that ``petnose_to_coco.py`` would write, so
    both give identical samples through mmpose's parsing; image ids are the label's 0-based
    index in the file.

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
        **kwargs: As for :class:`AnimalKeypointDataset` (``verify_images``,
            ``skip_invalid_images``, ``data_root``, ``data_prefix``, ``pipeline``, ...).

    Raises:
        ValueError: A malformed line, a duplicated image, an empty label file, a corrupt
            image, a nose outside its image (naming the file and line), or a bad ``subset``
            / ``val_ratio``.
        FileNotFoundError: Listed images are missing and ``skip_missing`` is ``False``.
    """

    METAINFO: dict = dict(from_file=osp.join(osp.dirname(__file__), 'metainfo', 'pet_nose.py'))

    def __init__(self, ann_file: str = '', skip_missing: bool = False,
                 subset: Optional[str] = None, val_ratio: float = 0.1, seed: int = 0,
                 **kwargs):
        if subset not in SUBSETS:
            raise ValueError(f'subset must be one of {SUBSETS}, got {subset!r}')
        if not 0 < val_ratio < 1:
            raise ValueError(f'val_ratio must be in (0, 1), got {val_ratio}')
        self.skip_missing = skip_missing
        self.subset, self.val_ratio, self.seed = subset, val_ratio, seed
        super().__init__(ann_file=ann_file, **kwargs)

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        """mmpose's COCO loading for a json; for a noses file, each line as the COCO image
        and annotation it stands for, parsed by :meth:`parse_data_info`."""
        if self.ann_file.lower().endswith('.json'):
            return super()._load_annotations()
        labels = read_nose_labels(self.ann_file)
        image_dir = self.data_prefix['img']
        missing = missing_images(labels, image_dir)
        if missing:
            message = missing_message(missing, self.ann_file, image_dir)
            if not self.skip_missing:
                raise FileNotFoundError(message + ' (pass skip_missing=True to leave them out)')
            warnings.warn(message + '; skipped (skip_missing=True)')
        instances, images = [], []
        for index, label in enumerate(labels):
            if label in missing or index % self.sample_interval:
                continue
            image, annotation = nose_coco_entry(label, index, image_dir, self.ann_file)
            image.update(img_id=index, img_path=osp.join(image_dir, label.file_name))
            images.append(image)
            instances.append(self.parse_data_info(dict(raw_ann_info=annotation,
                                                       raw_img_info=image)))
        return instances, images

    def load_data_list(self) -> List[dict]:
        """The data list (images checked as :class:`AnimalKeypointDataset` does), reduced
        to the ``subset`` asked for."""
        data_list = super().load_data_list()
        if self.subset is None:
            return data_list
        image_ids = sorted({info['img_id'] for info in data_list})
        order = np.random.default_rng(self.seed).permutation(len(image_ids))
        val = {image_ids[i] for i in order[:max(1, int(round(len(image_ids) * self.val_ratio)))]}
        return [info for info in data_list if (info['img_id'] in val) == (self.subset == 'val')]

    def where(self, raw_data_info: dict) -> str:
        """``<noses file>:<line>`` for a noses file, else as :class:`AnimalKeypointDataset`."""
        if self.ann_file.lower().endswith('.json'):
            return super().where(raw_data_info)
        return f'{self.ann_file}:{raw_data_info["raw_ann_info"]["line_no"]}'
