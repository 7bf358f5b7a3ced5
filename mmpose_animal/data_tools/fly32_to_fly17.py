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
from typing import Callable, Iterable, Iterator, List, Optional, Sequence

import cv2
import numpy as np

from .coco_splits import KeypointRecord, prepare_output, split_indices, write_coco_splits
from .fly17_skeleton import FLY32_NAMES, fly17_names, fly17_skeleton, fly32_to_fly17_indices

Progress = Optional[Callable[[Iterable], Iterable]]


def _check_inside(keypoints: np.ndarray, width: int, height: int, where: str) -> None:
    visible = keypoints[:, 2] > 0
    x, y = keypoints[:, 0], keypoints[:, 1]
    outside = visible & ((x < 0) | (y < 0) | (x >= width) | (y >= height))
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        raise ValueError(f'{where}: keypoint {FLY32_NAMES[k]} at ({x[k]:g}, {y[k]:g}) lies '
                         f'outside the {width}x{height} image')


def select_fly17(keypoints32: np.ndarray) -> np.ndarray:
    """(32, 3) Vinegar Fly keypoints -> (17, 3) fly17 keypoints, picked by name."""
    return keypoints32[fly32_to_fly17_indices()]


def _open_h5(path: str):
    try:
        import h5py
    except ImportError:
        raise ImportError('reading DeepPoseKit .h5 files needs h5py: '
                          'pip install "mmpose-animal[h5]" (or pip install h5py)') from None
    return h5py.File(path, 'r')


def h5_records(h5_path: str, out_dir: str, progress: Progress = None) -> List[KeypointRecord]:
    """Write every frame of a DeepPoseKit file to ``out_dir/images`` and return its records.

    Raises:
        KeyError: A required dataset is missing (named in the message).
        ValueError: Shapes disagree or a labelled keypoint lies outside its frame.
    """
    with _open_h5(h5_path) as file:
        for key in ('images', 'annotations'):
            if key not in file:
                raise KeyError(f'{h5_path}: no dataset {key!r} (found {sorted(file.keys())}); '
                               f'expected a DeepPoseKit annotation file')
        images, annotations = file['images'], file['annotations']
        annotated = file['annotated'][()] if 'annotated' in file else None
        num = images.shape[0]
        if annotations.shape != (num, len(FLY32_NAMES), 2):
            raise ValueError(f'{h5_path}: annotations have shape {annotations.shape}, expected '
                             f'({num}, {len(FLY32_NAMES)}, 2)')
        if annotated is not None and annotated.shape != (num, len(FLY32_NAMES)):
            raise ValueError(f'{h5_path}: annotated has shape {annotated.shape}, expected '
                             f'({num}, {len(FLY32_NAMES)})')
        records = []
        frames = range(num)
        for index in (progress(frames) if progress else frames):
            image = np.asarray(images[index])
            height, width = image.shape[:2]
            visible = annotated[index] if annotated is not None else np.ones(len(FLY32_NAMES))
            keypoints = np.concatenate(
                [np.asarray(annotations[index], dtype=np.float64),
                 np.where(visible[:, None] > 0, 2.0, 0.0)], axis=1)
            keypoints[keypoints[:, 2] == 0, :2] = 0
            _check_inside(keypoints, width, height, f'{h5_path}: frame {index}')
            file_name = f'fly_{index:06d}.png'
            cv2.imwrite(osp.join(out_dir, 'images', file_name),
                        image[..., 0] if image.ndim == 3 and image.shape[2] == 1 else image)
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
        _check_inside(keypoints, image['width'], image['height'], where)
        source = osp.join(image_root, image['file_name'])
        if not osp.isfile(source):
            raise FileNotFoundError(f'{where}: image {source} does not exist')
        file_name = osp.basename(image['file_name'])
        shutil.copyfile(source, osp.join(out_dir, 'images', file_name))
        bbox = ann.get('bbox') or (0.0, 0.0, float(image['width']), float(image['height']))
        records.append(KeypointRecord(file_name, image['width'], image['height'],
                                      select_fly17(keypoints), tuple(bbox)))
    return records


def _input_records(source: str, image_root: Optional[str], out_dir: str,
                   progress: Progress) -> Iterator[KeypointRecord]:
    if source.endswith(('.h5', '.hdf5')):
        return h5_records(source, out_dir, progress)
    if source.endswith('.json'):
        if image_root is None:
            raise ValueError(f'{source}: a COCO json input needs image_root (--image-root)')
        return coco32_records(source, image_root, out_dir, progress)
    raise ValueError(f'{source}: unknown input; expected a DeepPoseKit .h5 or a COCO .json')


def convert_fly32_to_fly17(source: str, out_dir: str, image_root: Optional[str] = None,
                           ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 0,
                           force: bool = False, progress: Progress = None) -> dict:
    """Convert a 32-point Vinegar Fly file to fly17 COCO splits.

    Args:
        source (str): DeepPoseKit ``.h5`` / ``.hdf5`` or mmpose fly COCO ``.json``.
        out_dir (str): Output folder (``images/`` and ``annotations/`` are written).
        image_root (str, optional): Image folder of a json input.
        ratios (Sequence[float]): Train / val / test fractions. Defaults to 0.8 / 0.1 / 0.1.
        seed (int): Seed of the split. Defaults to ``0``.
        force (bool): Replace existing output. Defaults to ``False``.
        progress (Callable, optional): Wraps the record loop, e.g. ``tqdm``.

    Returns:
        dict: Split name -> annotation file path.
    """
    split_indices(1, ratios, seed)  # validate the ratios before writing anything
    prepare_output(out_dir, force)
    records = list(_input_records(source, image_root, out_dir, progress))
    return write_coco_splits(out_dir, 'fly17', records, split_indices(len(records), ratios, seed),
                             fly17_names(), fly17_skeleton(), 'fly')
