"""Turn a :class:`LabelSet` into an mmpose dataset folder, atomically.

Layout: ``images/`` (unless linked in place), ``annotations/{train,val,test}.json``,
``metainfo.py`` and ``import_summary.json``. Everything is written into a temporary sibling
folder and moved in place at the end: on any error nothing is left behind.
"""
import json
import os
import os.path as osp
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ...datasets.annotation_checks import check_inside, read_image_size
from ..coco_splits import (KeypointRecord, labelled_counts, split_groups, split_indices,
                           write_coco_splits)
from ...structures import padded_keypoint_box
from .flip_pairs import check_flip_pairs, infer_flip_pairs
from .label_set import LabelledFrame, LabelSet
from .metainfo_file import dataset_info, write_metainfo

Progress = Optional[Callable[[Iterable], Iterable]]
BBOX_MODES = ('auto', 'image', 'keypoints')
SPLIT_BY = ('frame', 'video')


@dataclass
class ImportSummary:
    """What an import wrote.

    Args:
        out_dir (str): The dataset folder.
        keypoint_names (List[str]): Keypoint names, in order.
        flip_pairs (List[Tuple[int, int]]): Flip partners used.
        flip_source (str): Where they come from (``source``, ``names``, ``--flip-pairs``).
        splits (Dict[str, dict]): Per split: ``frames``, ``instances``, ``labelled`` points
            per keypoint.
        notes (List[str]): Everything left out or worth checking.
        unlabelled (List[str]): Keypoints labelled in no frame (the model cannot learn
            them).
    """

    out_dir: str
    keypoint_names: List[str]
    flip_pairs: List[Tuple[int, int]]
    flip_source: str
    splits: Dict[str, dict] = field(default_factory=dict)
    notes: List[str] = field(default_factory=list)
    unlabelled: List[str] = field(default_factory=list)

    def table(self) -> str:
        """Split sizes and labelled points per keypoint, as a text table."""
        names = list(self.splits)
        width = max(len(n) for n in self.keypoint_names + ['instances'])
        lines = [f'{"":<{width}}  ' + '  '.join(f'{n:>7}' for n in names)]
        for key in ('frames', 'instances'):
            lines.append(f'{key:<{width}}  ' + '  '.join(
                f'{self.splits[n][key]:>7}' for n in names))
        for k, keypoint in enumerate(self.keypoint_names):
            lines.append(f'{keypoint:<{width}}  ' + '  '.join(
                f'{self.splits[n]["labelled"][k]:>7}' for n in names))
        return '\n'.join(lines)


def _decode(frame: LabelledFrame) -> Tuple[Optional[np.ndarray], int, int]:
    """(Pixels for frames that are not files, width, height); a full decode of files."""
    if callable(frame.image):
        pixels = frame.image()
        return pixels, pixels.shape[1], pixels.shape[0]
    width, height = read_image_size(frame.image, frame.where, decode=True)
    return None, width, height


def _keypoints(frame: LabelledFrame, names: Sequence[str], width: int, height: int
               ) -> np.ndarray:
    """(N, K, 3) COCO keypoints (v=2 labelled, v=0 not); labelled points must be inside."""
    xy = frame.instances
    labelled = np.isfinite(xy).all(axis=-1)
    check_inside(xy, labelled, width, height, frame.where, names)
    keypoints = np.zeros(xy.shape[:2] + (3,))
    keypoints[labelled] = np.concatenate([xy[labelled], np.full((labelled.sum(), 1), 2.0)], 1)
    return keypoints


def write_pixels(pixels: np.ndarray, path: str) -> None:
    """Write gray or RGB pixels (as a reader returns them) to an image file."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    if pixels.ndim == 3 and pixels.shape[2] == 1:
        pixels = pixels[..., 0]
    if pixels.ndim == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    if not cv2.imwrite(path, pixels):
        raise OSError(f'cannot write {path}')


def resolve_flip_pairs(label_set: LabelSet, override: Optional[Sequence[Tuple[int, int]]]
                       ) -> Tuple[List[Tuple[int, int]], str, List[str]]:
    """(Flip pairs, where they come from, notes): ``override``, else the source's, else by
    name. Notes say where the source's pairs disagree with the names."""
    names = label_set.keypoint_names
    inferred = infer_flip_pairs(names)
    if override is not None:
        return check_flip_pairs(override, names, '--flip-pairs'), '--flip-pairs', []
    if label_set.flip_pairs is None:
        return inferred, 'keypoint names', []
    declared = check_flip_pairs(label_set.flip_pairs, names, label_set.source)
    notes = []
    if set(declared) != set(inferred):
        def show(pairs):
            return [f'{names[a]}:{names[b]}' for a, b in pairs] or 'none'
        notes.append(f'the source declares flip pairs {show(declared)}, the names suggest '
                     f'{show(inferred)}; using the source\'s (override with --flip-pairs)')
    return declared, 'source', notes


def _choose_bbox_mode(bbox: str, frames: Sequence[LabelledFrame]) -> str:
    if bbox not in BBOX_MODES:
        raise ValueError(f'bbox must be one of {BBOX_MODES}, got {bbox!r}')
    most = max(len(f.instances) for f in frames)
    if bbox == 'auto':
        return 'image' if most == 1 else 'keypoints'
    if bbox == 'image' and most > 1:
        raise ValueError(f'frames hold up to {most} animals: one whole-image box per frame '
                         f'cannot tell them apart; use --bbox keypoints')
    return bbox


def write_dataset(label_set: LabelSet, out_dir: str, ratios: Sequence[float] = (0.8, 0.1, 0.1),
                  seed: int = 0, split_by: str = 'frame', link: bool = False,
                  bbox: str = 'auto', flip_pairs: Optional[Sequence[Tuple[int, int]]] = None,
                  force: bool = False, progress: Progress = None, update: bool = False,
                  split_new: bool = False) -> ImportSummary:
    """Write ``label_set`` as an mmpose dataset in ``out_dir``.

    Args:
        label_set (LabelSet): What a reader returned.
        out_dir (str): The dataset folder to create.
        ratios (Sequence[float]): Train / val / test fractions. Defaults to 0.8 / 0.1 / 0.1.
        seed (int): Seed of the split. Defaults to ``0``.
        split_by (str): ``'frame'``, or ``'video'`` to keep each video / session folder in
            one split. Defaults to ``'frame'``.
        link (bool): Reference image files in place instead of copying them (frames that
            are not files, e.g. embedded in a .slp, are always written). Defaults to
            ``False``.
        bbox (str): ``'image'`` (whole image, one animal per frame), ``'keypoints'``
            (padded box of each animal's points) or ``'auto'`` (image when every frame
            holds one animal). Defaults to ``'auto'``.
        flip_pairs (Sequence[Tuple[int, int]], optional): Overrides the pairs of the source
            and of the names.
        force (bool): Replace an existing ``out_dir``. Defaults to ``False``.
        progress (Callable, optional): Wraps the frame loop, e.g. ``tqdm``.
        update (bool): ``out_dir`` is an earlier import of this source that gained frames:
            every frame it holds stays in its split (test frames stay test, so metrics stay
            comparable across rounds), new frames go to train; the summary's notes say what
            changed. Defaults to ``False``.
        split_new (bool): With ``update``, split the new frames by ``ratios`` and ``seed``
            instead of putting them all in train. Defaults to ``False``.

    Returns:
        ImportSummary: What was written.

    Raises:
        FileExistsError: ``out_dir`` exists and ``force`` is not set.
        FileNotFoundError | ValueError: A missing or corrupt image, a point outside its
            image, no labelled frame, or a split left without a labelled point (each naming
            the file and row or frame).
    """
    out_dir = osp.abspath(out_dir)
    earlier = earlier_splits(out_dir) if update else {}
    if osp.exists(out_dir) and not force and not update:
        raise FileExistsError(f'{out_dir} exists; pass --force (force=True) to replace it, '
                              f'or --update to add the new frames of this source')
    if split_by not in SPLIT_BY:
        raise ValueError(f'split_by must be one of {SPLIT_BY}, got {split_by!r}')
    split_indices(1, ratios, seed)  # checks the ratios before any work
    names = label_set.keypoint_names
    pairs, flip_source, notes = resolve_flip_pairs(label_set, flip_pairs)
    notes = list(label_set.notes) + notes
    if not label_set.frames:
        raise ValueError(f'{label_set.source}: no labelled frame')
    bbox = _choose_bbox_mode(bbox, label_set.frames)
    notes += check_tracks(label_set)

    os.makedirs(osp.dirname(out_dir), exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f'.{osp.basename(out_dir)}.partial-',
                               dir=osp.dirname(out_dir))
    try:
        os.makedirs(osp.join(staging, 'annotations'))
        records, groups, empty = _frame_records(label_set, staging, link, bbox, progress)
        if empty:
            notes.append(f'{len(empty)} frames with no labelled point left out: '
                         f'{", ".join(empty[:10])}{" ..." if len(empty) > 10 else ""}')
        if not records:
            raise ValueError(f'{label_set.source}: no frame has a labelled point')
        unlabelled = unlabelled_keypoints(records, names)
        if unlabelled:
            warnings.warn(f'{label_set.source}: keypoint(s) {", ".join(unlabelled)} are '
                          f'labelled in no frame; the model will never learn them (label '
                          f'them, or remove them from the source)')
        frame_index = {name: i for i, name in enumerate(groups)}  # in frame order
        if update:
            frame_splits, changes = updated_splits(list(groups), earlier, ratios, seed,
                                                   split_new)
            notes += changes
        else:
            frame_splits = (split_groups(list(groups.values()), ratios, seed)
                            if split_by == 'video' else split_indices(len(groups), ratios, seed))
        split_of = {i: split for split, indices in frame_splits.items() for i in indices}
        splits = {split: [i for i, r in enumerate(records)
                          if split_of[frame_index[r.file_name]] == split]
                  for split in frame_splits}
        counts = labelled_counts(records, splits, ratios, label_set.source)
        splits = {split: splits[split] for split in counts}
        summary = ImportSummary(out_dir, list(names), pairs, flip_source, notes=notes,
                                unlabelled=unlabelled)
        for split, indices in splits.items():
            summary.splits[split] = dict(frames=len(frame_splits[split]),
                                         instances=len(indices), labelled=counts[split])
        category = osp.basename(out_dir.rstrip('/')) or 'animal'
        write_coco_splits(staging, '', records, splits, names, label_set.links, category)
        write_metainfo(osp.join(staging, 'metainfo.py'),
                       dataset_info(category, names, label_set.links, pairs,
                                    label_set.track_names), label_set.source)
        with open(osp.join(staging, 'import_summary.json'), 'w') as file:
            json.dump(dict(source=osp.abspath(label_set.source), keypoint_names=names,
                           flip_pairs=pairs, flip_source=flip_source, linked=link,
                           bbox=bbox, split_by=split_by, ratios=list(ratios), seed=seed,
                           splits=summary.splits, notes=notes, unlabelled_keypoints=unlabelled),
                      file, indent=2)
        _move_in_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def earlier_splits(out_dir: str) -> Dict[str, str]:
    """Image file name -> split of an earlier import in ``out_dir``.

    Raises:
        FileNotFoundError: ``out_dir`` holds no earlier import.
    """
    splits = {}
    for split in ('train', 'val', 'test'):
        path = osp.join(out_dir, 'annotations', f'{split}.json')
        if osp.isfile(path):
            with open(path) as file:
                splits.update({image['file_name']: split for image in json.load(file)['images']})
    if not splits:
        raise FileNotFoundError(f'{out_dir}: no earlier import to update (annotations/'
                                f'{{train,val,test}}.json); import without --update first')
    return splits


def updated_splits(frames: Sequence[str], earlier: Dict[str, str], ratios: Sequence[float],
                   seed: int, split_new: bool) -> Tuple[Dict[str, List[int]], List[str]]:
    """Splits of ``frames`` (image file names, in order) that keep the earlier frames where
    they were; new frames go to train, or are split by ``ratios`` among themselves.

    Returns:
        tuple: (split -> frame indices, notes on what changed).
    """
    splits: Dict[str, List[int]] = {'train': [], 'val': [], 'test': []}
    new = [i for i, name in enumerate(frames) if name not in earlier]
    for i, name in enumerate(frames):
        if name in earlier:
            splits[earlier[name]].append(i)
    if split_new:
        for split, indices in split_indices(len(new), ratios, seed).items():
            splits[split] += [new[i] for i in indices]
    else:
        splits['train'] += new
    splits = {split: sorted(indices) for split, indices in splits.items()}
    kept = len(frames) - len(new)
    gone = sorted(set(earlier) - set(frames))
    notes = [f'update: {kept} earlier frames kept in their splits, {len(new)} new frames '
             f'added ({"split by --ratios" if split_new else "to train"})']
    if gone:
        notes.append(f'update: {len(gone)} earlier frames are no longer labelled in the '
                     f'source and were left out: {", ".join(gone[:10])}'
                     f'{" ..." if len(gone) > 10 else ""}')
    return splits, notes


def unlabelled_keypoints(records: Sequence[KeypointRecord], names: Sequence[str]) -> List[str]:
    """Names of the keypoints that no record labels."""
    labelled = np.zeros(len(names), dtype=bool)
    for record in records:
        labelled |= np.asarray(record.keypoints)[:, 2] > 0
    return [name for name, seen in zip(names, labelled) if not seen]


def _frame_records(label_set: LabelSet, staging: str, link: bool, bbox: str,
                   progress: Progress) -> Tuple[List[KeypointRecord], Dict[str, str], List[str]]:
    """(One record per labelled instance, frame name -> group, frames left out as empty)."""
    records, groups, empty = [], {}, []
    frames = label_set.frames
    for frame in (progress(frames) if progress else frames):
        pixels, width, height = _decode(frame)
        keypoints = _keypoints(frame, label_set.keypoint_names, width, height)
        keep = keypoints[..., 2].max(axis=1) > 0
        if not keep.any():
            empty.append(frame.name)
            continue
        if pixels is not None:
            write_pixels(pixels, osp.join(staging, 'images', frame.name))
            file_name = frame.name
        elif link:
            file_name = osp.abspath(frame.image)
        else:
            target = osp.join(staging, 'images', frame.name)
            os.makedirs(osp.dirname(target), exist_ok=True)
            shutil.copyfile(frame.image, target)
            file_name = frame.name
        groups[file_name] = frame.group
        tracks = [frame.tracks[i] if frame.tracks else None for i in np.flatnonzero(keep)]
        boxes = []
        for instance, track in zip(keypoints[keep], tracks):
            box = ((0.0, 0.0, float(width), float(height)) if bbox == 'image'
                   else padded_keypoint_box(instance, width, height))
            if bbox != 'image' and box in boxes:
                raise ValueError(f'{frame.where}: two labelled animals have the same box '
                                 f'{[round(v, 1) for v in box]} (one labelled twice?)')
            boxes.append(box)
            records.append(KeypointRecord(file_name, width, height, instance, box, track))
    return records, groups, empty


def check_tracks(label_set: LabelSet) -> List[str]:
    """Notes on the animals per frame: frames with fewer labelled animals than the most in
    a frame (an unlabelled animal there is learned as background).

    Raises:
        ValueError: Some instances have a track and others in the set do not.
    """
    named = label_set.track_names
    if named:
        for frame in label_set.frames:
            if frame.tracks is None or None in frame.tracks:
                raise ValueError(f'{frame.where}: an instance without a track, while others '
                                 f'have tracks {named}: give every animal its track, or none')
    counts = [len(frame.instances) for frame in label_set.frames]
    most = max(counts)
    fewer = [frame.name for frame, count in zip(label_set.frames, counts) if count < most]
    if most < 2 or not fewer:
        return []
    return [f'{len(fewer)} frames label fewer animals than the {most} of other frames: an '
            f'animal visible but not labelled there is learned as background '
            f'({", ".join(fewer[:10])}{" ..." if len(fewer) > 10 else ""})']


def _move_in_place(staging: str, out_dir: str) -> None:
    """Replace ``out_dir`` by ``staging`` (the old folder is removed only after the move)."""
    old = None
    if osp.exists(out_dir):
        old = tempfile.mkdtemp(prefix=f'.{osp.basename(out_dir)}.old-', dir=osp.dirname(out_dir))
        os.rename(out_dir, osp.join(old, 'data'))
    os.rename(staging, out_dir)
    if old:
        shutil.rmtree(old, ignore_errors=True)
