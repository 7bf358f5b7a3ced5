"""Convert the public 32-point Vinegar Fly data to the 17-point fly dataset.

Inputs:

- a DeepPoseKit annotation HDF5 file (datasets ``images`` (N, H, W, C) uint8,
  ``annotations`` (N, 32, 2) float x, y in pixels, optional ``annotated`` (N, 32) bool);
- mmpose's 32-point Vinegar Fly COCO json (``fly_train.json`` / ``fly_test.json``) and its
  image folder.

Output: ``<out>/images/`` and ``<out>/annotations/fly17_{train,val,test}.json``.
"""
import json
import os.path as osp
import shutil
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..datasets.annotation_checks import check_inside
from ..fileio.coco_splits import (KeypointRecord, labelled_counts, prepare_output, split_indices,
                          write_coco_splits)
from .fly17_skeleton import FLY32_NAMES, fly17_names, fly17_skeleton, fly32_to_fly17_indices
from ..fileio.labels.read_deepposekit import read_deepposekit
from ..fileio.labels.write_dataset import write_pixels

Progress = Optional[Callable[[Iterable], Iterable]]


def select_fly17(keypoints32: np.ndarray) -> np.ndarray:
    """(32, 3) Vinegar Fly keypoints -> (17, 3) fly17 keypoints, picked by name."""
    return keypoints32[fly32_to_fly17_indices()]


def h5_records(h5_path: str, out_dir: str, progress: Progress = None,
               ignore_annotated_flags: bool = False) -> List[KeypointRecord]:
    """Write every frame of a DeepPoseKit file to ``out_dir/images`` and return its records.

    Raises:
        KeyError: A required dataset is missing (named in the message).
        ValueError: Shapes disagree, the ``annotated`` flags are all False (see
            :func:`check_annotated_flags`) or a labelled keypoint lies outside its frame.
    """
    label_set = read_deepposekit(h5_path, ignore_annotated_flags=ignore_annotated_flags)
    if len(label_set.keypoint_names) != len(FLY32_NAMES):
        raise ValueError(f'{h5_path}: annotations have {len(label_set.keypoint_names)} '
                         f'keypoints, expected {len(FLY32_NAMES)} (the Vinegar Fly skeleton)')
    records = []
    frames = label_set.frames
    for index, frame in enumerate(progress(frames) if progress else frames):
        image = frame.image()
        height, width = image.shape[:2]
        xy = frame.instances[0]
        visible = np.isfinite(xy).all(axis=1)
        keypoints = np.concatenate([np.where(visible[:, None], xy, 0.0),
                                    np.where(visible, 2.0, 0.0)[:, None]], axis=1)
        check_inside(keypoints[None, :, :2], visible[None], width, height, frame.where,
                     FLY32_NAMES)
        file_name = f'fly_{index:06d}.png'
        write_pixels(image, osp.join(out_dir, 'images', file_name))
        records.append(KeypointRecord(file_name, width, height, select_fly17(keypoints),
                                      (0.0, 0.0, float(width), float(height))))
    return records


def coco32_records(json_path: str, image_root: str, out_dir: str,
                   progress: Progress = None) -> List[KeypointRecord]:
    """Copy the images of mmpose's 32-point fly json to ``out_dir/images``; return records.

    Raises:
        ValueError: An annotation has the wrong number of keypoints or one outside its image.
        FileNotFoundError: An image the json names is missing.
    """
    with open(json_path) as file:
        coco = json.load(file)
    images = {image['id']: image for image in coco['images']}
    records = []
    annotations = coco['annotations']
    for ann in (progress(annotations) if progress else annotations):
        where = f'{json_path}: annotation id {ann.get("id")}'
        values = np.asarray(ann['keypoints'], dtype=np.float64)
        if values.size != 3 * len(FLY32_NAMES):
            raise ValueError(f'{where}: {values.size} keypoint values, expected '
                             f'{3 * len(FLY32_NAMES)} (32 x [x, y, v])')
        image = images[ann['image_id']]
        keypoints = values.reshape(len(FLY32_NAMES), 3)
        check_inside(keypoints[None, :, :2], keypoints[None, :, 2] > 0, image['width'],
                     image['height'], where, FLY32_NAMES)
        source = osp.join(image_root, image['file_name'])
        if not osp.isfile(source):
            raise FileNotFoundError(f'{where}: image {source} does not exist')
        file_name = osp.basename(image['file_name'])
        shutil.copyfile(source, osp.join(out_dir, 'images', file_name))
        bbox = ann.get('bbox') or (0.0, 0.0, float(image['width']), float(image['height']))
        records.append(KeypointRecord(file_name, image['width'], image['height'],
                                      select_fly17(keypoints), tuple(bbox)))
    return records


def _input_records(source: str, image_root: Optional[str], out_dir: str, progress: Progress,
                   ignore_annotated_flags: bool) -> Iterator[KeypointRecord]:
    if source.endswith(('.h5', '.hdf5')):
        return h5_records(source, out_dir, progress, ignore_annotated_flags)
    if source.endswith('.json'):
        if image_root is None:
            raise ValueError(f'{source}: a COCO json input needs image_root (--image-root)')
        return coco32_records(source, image_root, out_dir, progress)
    raise ValueError(f'{source}: unknown input; expected a DeepPoseKit .h5 or a COCO .json')


def convert_fly32_to_fly17(source: str, out_dir: str, image_root: Optional[str] = None,
                           ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0,
                           force: bool = False, progress: Progress = None,
                           ignore_annotated_flags: bool = False) -> Tuple[dict, dict]:
    """Convert a 32-point Vinegar Fly file to fly17 COCO splits.

    Args:
        source (str): DeepPoseKit ``.h5`` / ``.hdf5`` or mmpose fly COCO ``.json``.
        out_dir (str): Output folder (``images/`` and ``annotations/`` are written).
        image_root (str, optional): Image folder of a json input.
        ratios (Sequence[float]): Train / val / test fractions. Defaults to 0.8 / 0.1 / 0.1.
        seed (int): Seed of the split. Defaults to ``0``.
        force (bool): Replace existing output. Defaults to ``False``.
        progress (Callable, optional): Wraps the record loop, e.g. ``tqdm``.
        ignore_annotated_flags (bool): DeepPoseKit: take every coordinate as a label even
            where ``annotated`` is False. Defaults to ``False``.

    Returns:
        tuple: (split name -> annotation file path, split name -> labelled points per
        fly17 keypoint).

    Raises:
        ValueError: As for the readers, and when a split would hold no labelled point
            (nothing is written then).
    """
    split_indices(1, ratios, seed)  # validate the ratios before writing anything
    prepare_output(out_dir, force)
    records = list(_input_records(source, image_root, out_dir, progress,
                                  ignore_annotated_flags))
    splits = split_indices(len(records), ratios, seed)
    try:
        counts = labelled_counts(records, splits, ratios, source)
    except ValueError:
        shutil.rmtree(osp.join(out_dir, 'images'))
        raise
    return write_coco_splits(out_dir, 'fly17', records, {n: splits[n] for n in counts},
                             fly17_names(), fly17_skeleton(), 'fly'), counts
