"""Write keypoint records as COCO json split files (train / val / test)."""
import json
import os
import os.path as osp
import shutil
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np


@dataclass
class KeypointRecord:
    """One image with one annotated instance.

    Args:
        file_name (str): Image path relative to the image folder.
        width (int): Image width in pixels.
        height (int): Image height in pixels.
        keypoints (np.ndarray): (K, 3) ``x, y, v`` in pixels (COCO visibility 0/1/2).
        bbox (Tuple[float, float, float, float]): ``x, y, w, h`` of the instance.
        track (str, optional): The instance's identity (written as the annotation's
            ``track``). Defaults to ``None``.
    """

    file_name: str
    width: int
    height: int
    keypoints: np.ndarray
    bbox: Tuple[float, float, float, float]
    track: Optional[str] = None


def prepare_output(out_dir: str, force: bool) -> None:
    """Create ``out_dir/images`` and ``out_dir/annotations``; refuse to overwrite without force.

    Raises:
        FileExistsError: ``out_dir`` already holds images or annotations and ``force`` is
            ``False``.
    """
    existing = [osp.join(out_dir, sub) for sub in ('images', 'annotations')
                if osp.isdir(osp.join(out_dir, sub)) and os.listdir(osp.join(out_dir, sub))]
    if existing and not force:
        raise FileExistsError(f'{", ".join(existing)} already exist(s) and are not empty; '
                              f'pass --force (force=True) to replace them')
    for path in existing:
        shutil.rmtree(path)
    os.makedirs(osp.join(out_dir, 'images'), exist_ok=True)
    os.makedirs(osp.join(out_dir, 'annotations'), exist_ok=True)


def split_indices(num: int, ratios: Sequence[float], seed: int) -> Dict[str, List[int]]:
    """Deterministically split ``range(num)`` into train / val / test by ``ratios``.

    Args:
        num (int): Number of records.
        ratios (Sequence[float]): Three non-negative fractions summing to 1.
        seed (int): Seed of the shuffle.

    Returns:
        dict: ``train``, ``val`` and ``test`` lists of sorted indices.
    """
    if len(ratios) != 3 or min(ratios) < 0 or abs(sum(ratios) - 1) > 1e-6:
        raise ValueError(f'split ratios must be 3 non-negative numbers summing to 1, '
                         f'got {list(ratios)}')
    order = np.random.default_rng(seed).permutation(num)
    num_train = int(round(num * ratios[0]))
    num_val = int(round(num * ratios[1]))
    bounds = {'train': (0, num_train), 'val': (num_train, num_train + num_val),
              'test': (num_train + num_val, num)}
    return {name: sorted(order[lo:hi].tolist()) for name, (lo, hi) in bounds.items()}


def split_groups(groups: Sequence[str], ratios: Sequence[float],
                 seed: int) -> Dict[str, List[int]]:
    """Split records so that all records of a group (video, session) land in one split.

    Groups are shuffled by ``seed`` and each goes to the split furthest below its share of
    the records.

    Args:
        groups (Sequence[str]): The group of each record.
        ratios (Sequence[float]): Train / val / test fractions.
        seed (int): Seed of the shuffle.

    Returns:
        dict: ``train``, ``val`` and ``test`` lists of sorted record indices.

    Raises:
        ValueError: Fewer groups than splits with a non-zero ratio.
    """
    split_indices(1, ratios, seed)  # checks the ratios
    names = ('train', 'val', 'test')
    wanted = [name for name, ratio in zip(names, ratios) if ratio > 0]
    members: Dict[str, List[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    if len(members) < len(wanted):
        raise ValueError(f'splitting by video needs at least {len(wanted)} videos/sessions '
                         f'(one per split), found {len(members)}: {sorted(members)}; split by '
                         f'frame instead')
    order = [sorted(members)[i] for i in np.random.default_rng(seed).permutation(len(members))]
    splits: Dict[str, List[int]] = {name: [] for name in names}
    for position, group in enumerate(order):
        empty = [name for name in wanted if not splits[name]]
        if len(empty) >= len(order) - position:
            target = empty[0]  # the remaining groups are needed to fill the empty splits
        else:
            target = min(wanted, key=lambda name: len(splits[name]) / len(groups)
                         - ratios[names.index(name)])
        splits[target].extend(members[group])
    return {name: sorted(indices) for name, indices in splits.items()}


def labelled_counts(records: Sequence[KeypointRecord], splits: Dict[str, List[int]],
                    ratios: Sequence[float], source: str) -> Dict[str, List[int]]:
    """Labelled points per keypoint in each split to write; a split without any is an error.

    A split whose ratio is 0 is not written (and left out of the result) when it is empty.

    Args:
        records (Sequence[KeypointRecord]): All records.
        splits (dict): ``train`` / ``val`` / ``test`` -> record indices.
        ratios (Sequence[float]): The train / val / test fractions asked for.
        source (str): What the records were read from, for the message.

    Returns:
        dict: Split name -> per-keypoint counts of points with ``v > 0``.

    Raises:
        ValueError: A split holds no labelled point (training or evaluating on it would
            learn or measure nothing).
    """
    counts = {}
    for (name, indices), ratio in zip(splits.items(), ratios):
        if ratio == 0 and not indices:
            continue
        labelled = np.zeros(len(records[0].keypoints), int)
        for i in indices:
            labelled += np.asarray(records[i].keypoints)[:, 2] > 0
        if labelled.sum() == 0:
            raise ValueError(f'{source}: the {name} split has no labelled point ({len(indices)} '
                             f'annotations); change the ratios or the seed, or label more '
                             f'frames')
        counts[name] = labelled.tolist()
    return counts


def coco_dict(records: Sequence[KeypointRecord], keypoint_names: Sequence[str],
              skeleton: Sequence[Tuple[int, int]], category: str) -> dict:
    """Build a COCO keypoint dict (one category, one annotation per record).

    Records with the same ``file_name`` are instances of one image (several animals).
    """
    images: Dict[str, dict] = {}
    annotations = []
    for index, record in enumerate(records):
        keypoints = np.asarray(record.keypoints, dtype=np.float64)
        image = images.setdefault(record.file_name, dict(
            id=len(images), file_name=record.file_name, width=int(record.width),
            height=int(record.height)))
        x, y, w, h = (float(v) for v in record.bbox)
        annotations.append(dict(
            id=index, image_id=image['id'], category_id=1, bbox=[x, y, w, h], area=w * h,
            iscrowd=0, num_keypoints=int((keypoints[:, 2] > 0).sum()),
            keypoints=[round(float(v), 3) for v in keypoints.reshape(-1)],
            **({} if record.track is None else dict(track=record.track))))
    categories = [dict(id=1, name=category, supercategory='animal',
                       keypoints=list(keypoint_names),
                       skeleton=[[a + 1, b + 1] for a, b in skeleton])]
    return dict(images=list(images.values()), annotations=annotations, categories=categories)


def write_coco_splits(out_dir: str, prefix: str, records: Sequence[KeypointRecord],
                      splits: Dict[str, List[int]], keypoint_names: Sequence[str],
                      skeleton: Sequence[Tuple[int, int]], category: str) -> Dict[str, str]:
    """Write ``out_dir/annotations/<prefix>_<split>.json`` (``<split>.json`` without a
    prefix) for every split in ``splits``.

    Returns:
        dict: Split name -> written path.
    """
    written = {}
    for name, indices in splits.items():
        path = osp.join(out_dir, 'annotations', f'{prefix}_{name}.json' if prefix
                        else f'{name}.json')
        with open(path, 'w') as file:
            json.dump(coco_dict([records[i] for i in indices], keypoint_names, skeleton,
                                category), file)
        written[name] = path
    return written
