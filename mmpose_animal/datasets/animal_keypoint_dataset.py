"""A COCO-style keypoint dataset for any animal: the skeleton comes from a metainfo file."""
import os.path as osp
from collections import defaultdict
from typing import List, Optional

import numpy as np
from mmengine.config import Config

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS
from .annotation_checks import check_keypoints
from .image_checks import verify_data_list


@DATASETS.register_module()
class AnimalKeypointDataset(BaseCocoStyleDataset):
    """COCO keypoint json of any animal, checked as it is read.

    The keypoints, skeleton and flip partners come from ``metainfo=dict(from_file=...)``
    (absolute path), e.g. the ``metainfo.py`` that
    ``tools/dataset_converters/import_labels.py`` writes beside the annotations.

    Every annotation must carry K keypoints (K from the metainfo), labelled ones inside the
    image; an image the json names must exist.

    Several animals: each instance also gets ``frame_centres`` ((M, 2), the centre of every
    labelled animal of its image, itself included: the middle of its labelled keypoints'
    extent) and ``track_id`` (its annotation's ``track`` among the metainfo's
    ``track_names``, -1 without one); ``dataset_meta`` keeps the ``track_names``.

    Args:
        verify_images (bool): Decode every image when the dataset is built (in parallel), so
            a corrupt file is an error now, naming every bad image, not a crash mid-epoch.
            Defaults to ``False``.
        skip_invalid_images (bool): With ``verify_images``, leave the images that do not
            decode out, with a warning naming them. Defaults to ``False``.
        whole_image_boxes (bool): Give every annotation the whole image as its box, never
            reading the json's boxes: evaluation of a model that finds the animal itself
            (:class:`CropTopdownPoseEstimator`). Defaults to ``False``.
        **kwargs: As for :class:`mmpose.datasets.BaseCocoStyleDataset`.

    Raises:
        ValueError: A wrong number of keypoint values, or a labelled keypoint outside its
            image (naming the json, the annotation id and the image).
        FileNotFoundError: An image is missing.
    """

    def __init__(self, *args, verify_images: bool = False, skip_invalid_images: bool = False,
                 whole_image_boxes: bool = False, **kwargs):
        self.verify_images = verify_images
        self.skip_invalid_images = skip_invalid_images
        self.whole_image_boxes = whole_image_boxes
        super().__init__(*args, **kwargs)

    @classmethod
    def _load_metainfo(cls, metainfo: dict = None) -> dict:
        """mmpose's parsed metainfo, with the ``track_names`` of a metainfo file."""
        parsed = super()._load_metainfo(metainfo)
        source = (metainfo or {}).get('from_file')
        if source and osp.isfile(source):
            names = Config.fromfile(source).get('dataset_info', {}).get('track_names')
            if names:
                parsed['track_names'] = list(names)
        return parsed

    def load_data_list(self) -> List[dict]:
        """mmpose's data list (every image decoded first with ``verify_images``), each
        instance with the centres of its image's animals."""
        data_list = super().load_data_list()
        if self.verify_images:
            data_list = verify_data_list(data_list, self.ann_file, self.skip_invalid_images)
        centres = defaultdict(list)
        for info in data_list:
            centres[info['img_id']].append(animal_centre(info['keypoints'][0],
                                                         info['keypoints_visible'][0]))
        for info in data_list:
            info['frame_centres'] = np.array(centres[info['img_id']], np.float32).reshape(-1, 2)
        return data_list

    def where(self, raw_data_info: dict) -> str:
        """Where an annotation comes from, for messages: ``<json>: annotation id N (<image>)``.
        """
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        return f'{self.ann_file}: annotation id {ann.get("id")} ({img.get("file_name")})'

    def parse_data_info(self, raw_data_info: dict) -> Optional[dict]:
        """Parse one COCO annotation and check its keypoints and image."""
        ann, img = raw_data_info['raw_ann_info'], raw_data_info['raw_img_info']
        where = self.where(raw_data_info)
        num_keypoints = self.metainfo['num_keypoints']
        if 'keypoints' in ann and len(ann['keypoints']) != 3 * num_keypoints:
            raise ValueError(f'{where}: {len(ann["keypoints"])} keypoint values, expected '
                             f'{3 * num_keypoints} ({num_keypoints} x [x, y, v])')
        if self.whole_image_boxes:  # the label's box is replaced before anything reads it
            ann = dict(ann, bbox=[0.0, 0.0, float(img['width']), float(img['height'])])
            raw_data_info = dict(raw_data_info, raw_ann_info=ann)
        data_info = super().parse_data_info(raw_data_info)
        if data_info is None:
            return None
        if not osp.isfile(data_info['img_path']):
            raise FileNotFoundError(f'{where}: image {data_info["img_path"]} does not exist')
        check_keypoints(data_info['keypoints'], data_info['keypoints_visible'], num_keypoints,
                        img['width'], img['height'], where)
        tracks = self.metainfo.get('track_names') or []
        data_info['track_id'] = tracks.index(ann['track']) if ann.get('track') in tracks else -1
        return data_info


def animal_centre(keypoints: np.ndarray, visible: np.ndarray) -> np.ndarray:
    """(2,) the middle of the labelled keypoints' extent ((K, 2), (K,)); NaN without any."""
    labelled = np.asarray(keypoints, np.float64)[np.asarray(visible) > 0]
    if not len(labelled):
        return np.full(2, np.nan)
    return (labelled.min(0) + labelled.max(0)) / 2
