"""Write a finished :class:`PoseSequence` in the formats labs analyse: JSON lines, DeepLabCut
H5 + CSV, Lightning Pose CSV, SLEAP .slp and NWB.

One output per sequence: a video (rows are frame indices) or the images of one folder (rows
are the image paths, in sorted order). Every writer takes the whole sequence, so it can write
raw and post-processed predictions alike. With several animals, each instance index is one
animal (tracked identities): DeepLabCut's ``individuals``, SLEAP's tracks and NWB's series
carry the sequence's track names.
"""
import json
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np

from ..structures import PoseSequence
from ..utils.optional_import import require
from .deeplabcut import SCORER, table_columns

pd = require('pandas', 'labels')
sleap_io = require('sleap_io', 'labels')

EXPORT_FORMATS = ('jsonl', 'dlc', 'lp', 'slp', 'nwb')


def write_jsonl(sequence: PoseSequence, path: str,
                filtered: Optional[PoseSequence] = None) -> str:
    """One record per frame: ``source``, ``frame`` (videos), and per instance its ``track``,
    ``bbox``, ``keypoints`` and ``keypoint_scores`` (and ``filtered_keypoints`` when given;
    missing points are ``null``). Instances without any prediction are left out."""
    def values(array: np.ndarray, digits: int) -> list:
        return [None if not np.isfinite(v).all() else np.round(v, digits).tolist()
                for v in array]
    names = sequence.instance_names
    with open(path, 'w') as file:
        for t in range(sequence.num_frames):
            instances = []
            for n in range(sequence.num_instances):
                if not np.isfinite(sequence.boxes[t, n]).all():
                    continue
                instance = dict(track=names[n], bbox=np.round(sequence.boxes[t, n], 2).tolist(),
                                keypoints=values(sequence.keypoints[t, n], 2),
                                keypoint_scores=[None if not np.isfinite(s) else round(float(s), 4)
                                                 for s in sequence.scores[t, n]])
                if filtered is not None:
                    instance['filtered_keypoints'] = values(filtered.keypoints[t, n], 2)
                instances.append(instance)
            source = sequence.source if sequence.is_video else sequence.image_paths[t]
            record = dict(source=source, frame=t if sequence.is_video else None,
                          instances=instances)
            file.write(json.dumps(record) + '\n')
    return path


def _row_index(sequence: PoseSequence) -> list:
    return (list(range(sequence.num_frames)) if sequence.is_video
            else [osp.abspath(p) for p in sequence.image_paths])


def dlc_table(sequence: PoseSequence) -> 'pd.DataFrame':
    """DeepLabCut's analysis table: x, y, likelihood per body part (and individual).

    Columns are the MultiIndex scorer / bodyparts / coords, with an ``individuals`` level
    (the track names) when frames hold several animals; rows are frame indices (videos) or
    image paths (folders). Missing points are NaN.
    """
    values = np.concatenate([sequence.keypoints, sequence.scores[..., None]], axis=-1)
    individuals = sequence.instance_names if sequence.num_instances > 1 else None
    index = _row_index(sequence)
    return pd.DataFrame(values.reshape(len(index), -1).astype(np.float64),
                        columns=table_columns(sequence.keypoint_names, individuals),
                        index=index)


def write_dlc(sequence: PoseSequence, out_dir: str, suffix: str = '') -> List[str]:
    """``<stem>_mmpose-animal<suffix>.h5`` (key ``df_with_missing``) and the same table as
    CSV; DeepLabCut names filtered predictions with the suffix ``_filtered``."""
    table = dlc_table(sequence)
    base = osp.join(out_dir, f'{sequence.stem}_{SCORER}{suffix}')
    table.to_hdf(base + '.h5', key='df_with_missing', format='table', mode='w')
    table.to_csv(base + '.csv')
    return [base + '.h5', base + '.csv']


def write_lightning_pose(sequence: PoseSequence, out_dir: str) -> List[str]:
    """``<stem>.lp.csv``: Lightning Pose's prediction layout (its ``video_preds/<video>.csv``):
    header rows scorer / bodyparts / coords (x, y, likelihood), one row per frame index
    (or image path).

    Raises:
        ValueError: Several animals (Lightning Pose predicts one).
    """
    if sequence.num_instances > 1:
        raise ValueError(f'{sequence.source}: Lightning Pose files hold one animal, the '
                         f'predictions hold {sequence.num_instances}; use --format dlc')
    values = np.concatenate([sequence.keypoints, sequence.scores[..., None]], axis=-1)
    index = _row_index(sequence)
    table = pd.DataFrame(values.reshape(len(index), -1).astype(np.float64),
                         columns=table_columns(sequence.keypoint_names), index=index)
    path = osp.join(out_dir, f'{sequence.stem}.lp.csv')
    table.to_csv(path)
    return [path]


def sleap_skeleton(sequence: PoseSequence, name: str = 'animal') -> 'sleap_io.Skeleton':
    """The sequence's skeleton, with its edges and left / right symmetries."""
    names = sequence.keypoint_names
    return sleap_io.Skeleton(nodes=list(names), name=name,
                             edges=[(names[a], names[b]) for a, b in sequence.links],
                             symmetries=[(names[a], names[b]) for a, b in sequence.flip_pairs])


def sleap_video(sequence: PoseSequence) -> 'sleap_io.Video':
    """The sequence's video (or image list) as sleap-io opens it."""
    return sleap_io.Video.from_filename(
        sequence.source if sequence.is_video else [osp.abspath(p) for p in sequence.image_paths])


def predicted_instances(sequence: PoseSequence, frame: int, skeleton: 'sleap_io.Skeleton',
                        tracks: Optional[Sequence] = None) -> list:
    """The frame's instances as SLEAP ``PredictedInstance`` (point scores kept, on their
    ``tracks`` when given: one per instance index)."""
    instances = []
    for n in range(sequence.num_instances):
        points = sequence.keypoints[frame, n].astype(np.float64)
        if not np.isfinite(points).any():
            continue
        scores = np.nan_to_num(sequence.scores[frame, n].astype(np.float64), nan=0.0)
        instances.append(sleap_io.PredictedInstance.from_numpy(
            points, skeleton=skeleton, point_scores=scores, score=float(np.mean(scores)),
            track=tracks[n] if tracks else None))
    return instances


def sleap_labels(sequences: Sequence[PoseSequence],
                 frames: Optional[Sequence[Sequence[int]]] = None) -> 'sleap_io.Labels':
    """SLEAP ``Labels`` of predicted instances, one video per sequence (the first one's
    skeleton), on ``frames`` of each (default: every frame with a prediction). Sequences of
    several animals put each instance index on its track (the track names)."""
    skeleton = sleap_skeleton(sequences[0])
    names = list(dict.fromkeys(name for s in sequences if s.num_instances > 1
                               for name in s.instance_names))
    tracks = {name: sleap_io.Track(name=name) for name in names}
    videos, labelled = [], []
    for index, sequence in enumerate(sequences):
        video = sleap_video(sequence)
        videos.append(video)
        own = ([tracks[name] for name in sequence.instance_names]
               if sequence.num_instances > 1 else None)
        chosen = range(sequence.num_frames) if frames is None else frames[index]
        for t in chosen:
            instances = predicted_instances(sequence, int(t), skeleton, own)
            if instances:
                labelled.append(sleap_io.LabeledFrame(video=video, frame_idx=int(t),
                                                      instances=instances))
    return sleap_io.Labels(labeled_frames=labelled, videos=videos, skeletons=[skeleton],
                           tracks=list(tracks.values()))


def write_sleap(sequence: PoseSequence, out_dir: str, fmt: str) -> List[str]:
    """``<stem>.predictions.slp`` (fmt ``slp``) or ``<stem>.predictions.nwb`` (``nwb``,
    ndx-pose: one pose-estimation series per track)."""
    labels = sleap_labels([sequence])
    path = osp.join(out_dir, f'{sequence.stem}.predictions.{fmt}')
    if fmt == 'slp':
        sleap_io.save_slp(labels, path, verbose=False)
    else:
        sleap_io.save_nwb(labels, path)
    return [path]


def export_sequence(raw: PoseSequence, formats: Sequence[str], out_dir: str,
                    filtered: Optional[PoseSequence] = None) -> List[str]:
    """Write the file formats among ``formats`` (``dlc``, ``lp``, ``slp``, ``nwb``;
    ``jsonl`` is :func:`write_jsonl`'s).

    DeepLabCut gets the raw predictions and, when ``filtered`` is given, the filtered ones
    beside them (``..._filtered.h5`` / ``.csv``, DeepLabCut's naming). SLEAP gets the raw ones
    (what its proofreading starts from: every point with its score), NWB and Lightning Pose
    the filtered ones when given (what analysis reads).

    Returns:
        list[str]: The files written.

    Raises:
        ValueError: A format that is not one of :data:`EXPORT_FORMATS`.
    """
    check_formats(formats, [])
    analysed = filtered if filtered is not None else raw
    written: List[str] = []
    for fmt in formats:
        if fmt == 'dlc':
            written += write_dlc(raw, out_dir)
            if filtered is not None:
                written += write_dlc(filtered, out_dir, '_filtered')
        elif fmt == 'lp':
            written += write_lightning_pose(analysed, out_dir)
        elif fmt == 'slp':
            written += write_sleap(raw, out_dir, fmt)
        elif fmt == 'nwb':
            written += write_sleap(analysed, out_dir, fmt)
    return written


def check_formats(formats: Optional[Sequence[str]], inputs: Sequence) -> List[str]:
    """The formats asked for (default ``jsonl``), without repeats, checked before any work.

    Args:
        formats (Sequence[str], optional): Among :data:`EXPORT_FORMATS`.
        inputs (Sequence): The sequences to write (anything with ``source`` and
            ``is_video``).

    Raises:
        ValueError: An unknown format, or NWB for a folder of images (sleap-io writes NWB
            for videos only).
    """
    formats = list(dict.fromkeys(formats or ['jsonl']))
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown:
        raise ValueError(f'unknown --format {unknown}; choose from {EXPORT_FORMATS}')
    folders = [s.source for s in inputs if not s.is_video]
    if 'nwb' in formats and folders:
        raise ValueError(f'NWB export needs videos, but {folders[0]} is a folder of images; '
                         f'use --format slp or dlc for images')
    return formats
