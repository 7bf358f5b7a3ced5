"""Convert a pet-noses label file (``train_noses.txt`` style) to COCO json."""
import json
import os.path as osp
from typing import List, Tuple

import numpy as np

from ..datasets.annotation_checks import check_keypoints, read_image_size
from ..datasets.nose_labels import NoseLabel, read_nose_labels
from .coco_splits import KeypointRecord, coco_dict


def nose_coco(label_file: str, image_dir: str,
              skip_missing: bool = False) -> Tuple[dict, List[NoseLabel]]:
    """COCO keypoint dict of a noses file: one image and one whole-image ``nose`` annotation
    per line; image and annotation ids are the 0-based label index, and each annotation
    keeps its ``line_no``.

    Args:
        label_file (str): The noses file.
        image_dir (str): Folder of the images it names.
        skip_missing (bool): Leave out labels whose image is absent (they are returned)
            instead of raising. Defaults to ``False``.

    Returns:
        tuple: (COCO dict, labels whose image is missing).

    Raises:
        FileNotFoundError: An image is missing and ``skip_missing`` is ``False``.
        ValueError: Bad lines, corrupt images, noses outside their image.
    """
    labels = read_nose_labels(label_file)
    records, kept, missing = [], [], []
    for label in labels:
        where = f'{label_file}:{label.line_no}'
        image_path = osp.join(image_dir, label.file_name)
        if not osp.isfile(image_path):
            missing.append(label)
            continue
        width, height = read_image_size(image_path, where)
        keypoints = np.array([[label.x, label.y, 2.0]])
        check_keypoints(keypoints[None, :, :2], keypoints[None, :, 2], 1, width, height, where)
        records.append(KeypointRecord(label.file_name, width, height, keypoints,
                                      (0.0, 0.0, float(width), float(height))))
        kept.append(label)
    if missing and not skip_missing:
        raise FileNotFoundError(missing_message(missing, label_file, image_dir) +
                                ' (pass skip_missing=True to leave them out)')
    coco = coco_dict(records, ['nose'], [], 'pet')
    for image, ann, label in zip(coco['images'], coco['annotations'], kept):
        index = labels.index(label)
        image['id'] = ann['id'] = ann['image_id'] = index
        ann['line_no'] = label.line_no
    return coco, missing


def missing_message(missing: List[NoseLabel], label_file: str, image_dir: str,
                    shown: int = 20) -> str:
    """``N image(s) listed in <file> are missing from <dir>: a.jpg (line 3), ...``."""
    names = ', '.join(f'{m.file_name} (line {m.line_no})' for m in missing[:shown])
    more = f' and {len(missing) - shown} more' if len(missing) > shown else ''
    return (f'{len(missing)} image(s) listed in {label_file} are missing from {image_dir}: '
            f'{names}{more}')


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
    coco, _ = nose_coco(label_file, image_dir)
    with open(out_file, 'w') as file:
        json.dump(coco, file)
    return len(coco['images'])
