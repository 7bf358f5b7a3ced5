"""A COCO-style keypoint dataset for any animal: the skeleton comes from a metainfo file."""
import os.path as osp
from typing import List, Optional

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

    def load_data_list(self) -> List[dict]:
        """mmpose's data list; every image decoded first with ``verify_images``."""
        data_list = super().load_data_list()
        if self.verify_images:
            data_list = verify_data_list(data_list, self.ann_file, self.skip_invalid_images)
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
        return data_info
