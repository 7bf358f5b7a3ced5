"""Convert a pet-noses label file (``train_noses.txt`` style) to COCO json."""
import json
import os.path as osp

import numpy as np

from ..datasets.annotation_checks import check_keypoints
from ..datasets.nose_labels import (missing_images, missing_message, nose_coco_entry,
                                    read_nose_labels)


def nose_coco(label_file: str, image_dir: str) -> dict:
    """COCO keypoint dict of a noses file: one image and one whole-image ``nose`` annotation
    per line, as :class:`~mmpose_animal.datasets.PetNoseDataset` reads the file.

    Raises:
        FileNotFoundError: An image is missing.
        ValueError: Bad lines, corrupt images, noses outside their image.
    """
    labels = read_nose_labels(label_file)
    missing = missing_images(labels, image_dir)
    if missing:
        raise FileNotFoundError(missing_message(missing, label_file, image_dir))
    images, annotations = [], []
    for index, label in enumerate(labels):
        image, annotation = nose_coco_entry(label, index, image_dir, label_file)
        check_keypoints(np.array([[[label.x, label.y]]]), np.ones((1, 1)), 1, image['width'],
                        image['height'], f'{label_file}:{label.line_no}')
        images.append(image)
        annotations.append(annotation)
    category = dict(id=1, name='pet', supercategory='animal', keypoints=['nose'], skeleton=[])
    return dict(images=images, annotations=annotations, categories=[category])


def convert_petnose_to_coco(label_file: str, image_dir: str, out_file: str,
                            force: bool = False) -> int:
    """Write ``out_file``: one image and one ``nose`` annotation (whole-image box) per line.

    Args:
        label_file (str): The noses file.
        image_dir (str): Folder of the images it names.
        out_file (str): The json to write.
        force (bool): Replace an existing ``out_file``. Defaults to ``False``.

    Returns:
        int: Number of images written.

    Raises:
        FileExistsError: ``out_file`` exists and ``force`` is ``False``.
        ValueError | FileNotFoundError: As for the dataset: bad lines, missing or corrupt
            images, noses outside their image.
    """
    if osp.exists(out_file) and not force:
        raise FileExistsError(f'{out_file} exists; pass --force (force=True) to replace it')
    coco = nose_coco(label_file, image_dir)
    with open(out_file, 'w') as file:
        json.dump(coco, file)
    return len(coco['images'])
