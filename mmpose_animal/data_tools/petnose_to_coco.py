"""Convert a pet-noses label file (``train_noses.txt`` style) to COCO json."""
import json
import os.path as osp

import numpy as np

from ..datasets.annotation_checks import check_keypoints, read_image_size
from ..datasets.nose_labels import read_nose_labels
from .coco_splits import KeypointRecord, coco_dict


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
    records = []
    for label in read_nose_labels(label_file):
        where = f'{label_file}:{label.line_no}'
        width, height = read_image_size(osp.join(image_dir, label.file_name), where)
        keypoints = np.array([[label.x, label.y, 2.0]])
        check_keypoints(keypoints[None, :, :2], keypoints[None, :, 2], 1, width, height, where)
        records.append(KeypointRecord(label.file_name, width, height, keypoints,
                                      (0.0, 0.0, float(width), float(height))))
    with open(out_file, 'w') as file:
        json.dump(coco_dict(records, ['nose'], [], 'pet'), file)
    return len(records)
