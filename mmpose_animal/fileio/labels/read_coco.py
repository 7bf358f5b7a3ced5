"""Read a COCO keypoint json (one category with keypoints) and its image folder."""
import json
import os.path as osp
from typing import Dict, List, Optional

import numpy as np

from .label_format import LabelFormat, LabelOption
from .label_set import LabelledFrame, LabelSet


def read_coco(path: str, image_root: Optional[str] = None) -> LabelSet:
    """Read every image with keypoint annotations.

    Args:
        path (str): The COCO keypoint json.
        image_root (str, optional): Folder the image file names are relative to. Defaults
            to the json's folder.

    Points with ``v = 0`` become unlabelled (NaN); crowd annotations are left out (noted).

    Raises:
        FileNotFoundError: The json or an image it names is missing.
        ValueError: Not a keypoint json, several keypoint categories, a wrong number of
            values in an annotation, or an annotation of an unknown image.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist')
    image_root = image_root or osp.dirname(osp.abspath(path))
    with open(path) as file:
        try:
            coco = json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f'{path}: not JSON ({error})') from error
    for key in ('images', 'annotations', 'categories'):
        if key not in coco:
            raise ValueError(f'{path}: no {key!r} list; expected a COCO keypoint json')
    categories = [c for c in coco['categories'] if c.get('keypoints')]
    if len(categories) != 1:
        raise ValueError(f'{path}: {len(categories)} categories with keypoints; one is '
                         f'supported')
    category = categories[0]
    names = [str(n) for n in category['keypoints']]
    links = [(a - 1, b - 1) for a, b in category.get('skeleton') or []]
    images = {image['id']: image for image in coco['images']}
    per_image: Dict[int, List[np.ndarray]] = {}
    crowd = 0
    for ann in coco['annotations']:
        if ann.get('category_id') != category['id']:
            continue
        where = f'{path}: annotation id {ann.get("id")}'
        if ann.get('iscrowd'):
            crowd += 1
            continue
        if ann.get('image_id') not in images:
            raise ValueError(f'{where}: image_id {ann.get("image_id")} is not in images')
        values = np.asarray(ann.get('keypoints', []), dtype=np.float64)
        if values.size != 3 * len(names):
            raise ValueError(f'{where}: {values.size} keypoint values, expected '
                             f'{3 * len(names)} ({len(names)} x [x, y, v])')
        points = values.reshape(len(names), 3)
        xy = points[:, :2].copy()
        xy[points[:, 2] <= 0] = np.nan
        per_image.setdefault(ann['image_id'], []).append(xy)
    frames = []
    for image_id, instances in per_image.items():
        image = images[image_id]
        file_path = osp.join(image_root, image['file_name'])
        where = f'{path}: image id {image_id} ({image["file_name"]})'
        if not osp.isfile(file_path):
            raise FileNotFoundError(f'{where}: image {file_path} does not exist')
        group = osp.dirname(image['file_name']) or 'images'
        frames.append(LabelledFrame(image=file_path, name=image['file_name'], group=group,
                                    where=where, instances=np.stack(instances)))
    notes = [f'{crowd} crowd annotations left out'] if crowd else []
    return LabelSet(source=path, keypoint_names=names, frames=frames, links=links, notes=notes)


COCO = LabelFormat(
    name='coco', description='a COCO keypoint .json', read=read_coco, suffixes=('.json',),
    options=(LabelOption('image_root', 'image folder (default: the json folder)'),))
