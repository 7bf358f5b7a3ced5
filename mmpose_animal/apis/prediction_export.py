"""Write predictions in the formats labs analyse: DeepLabCut H5 + CSV, SLEAP .slp, NWB.

One output per sequence: a video (rows are frame indices) or the images of one folder (rows
are the image paths, in sorted order).
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import sleap_io

EXPORT_FORMATS = ('jsonl', 'dlc', 'slp', 'nwb')
SCORER = 'mmpose-animal'


@dataclass
class PredictionSequence:
    """Predictions of one video, or of the images of one folder.

    Args:
        source (str): The video file, or the folder of the images.
        is_video (bool): Whether ``source`` is a video.
        frames (Dict[int, list]): Frame index -> instances, each ``(keypoints (K, 2),
            scores (K,))``.
        image_paths (List[str]): For image folders, the image of each frame index.
    """

    source: str
    is_video: bool
    frames: Dict[int, List[Tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)
    image_paths: List[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """Output file stem: the video's name, or the folder's."""
        name = osp.basename(self.source.rstrip('/')) or 'images'
        return osp.splitext(name)[0] if self.is_video else name

    def max_instances(self) -> int:
        return max([len(i) for i in self.frames.values()] + [1])


def dlc_table(sequence: PredictionSequence, names: Sequence[str]) -> pd.DataFrame:
    """DeepLabCut's analysis table: x, y, likelihood per body part (and individual).

    Columns are the MultiIndex scorer / bodyparts / coords, with an ``individuals`` level
    (``ind1``, ``ind2``, ...) when a frame holds several animals; rows are frame indices
    (videos) or image paths (folders). Missing animals are NaN.
    """
    num = sequence.max_instances()
    index = (sorted(sequence.frames) if sequence.is_video
             else [osp.abspath(p) for p in sequence.image_paths])
    values = np.full((len(index), num, len(names), 3), np.nan)
    rows = sorted(sequence.frames) if sequence.is_video else range(len(index))
    for row, frame in enumerate(rows):
        for n, (keypoints, scores) in enumerate(sequence.frames.get(frame, [])):
            values[row, n] = np.concatenate([keypoints, scores[:, None]], axis=1)
    if num == 1:
        columns = pd.MultiIndex.from_product([[SCORER], list(names), ['x', 'y', 'likelihood']],
                                             names=['scorer', 'bodyparts', 'coords'])
        values = values[:, 0]
    else:
        columns = pd.MultiIndex.from_product(
            [[SCORER], [f'ind{i + 1}' for i in range(num)], list(names),
             ['x', 'y', 'likelihood']], names=['scorer', 'individuals', 'bodyparts', 'coords'])
    return pd.DataFrame(values.reshape(len(index), -1), columns=columns, index=index)


def write_dlc(sequence: PredictionSequence, names: Sequence[str], out_dir: str) -> List[str]:
    """``<stem>_mmpose-animal.h5`` (key ``df_with_missing``) and the same table as CSV."""
    table = dlc_table(sequence, names)
    base = osp.join(out_dir, f'{sequence.stem}_{SCORER}')
    table.to_hdf(base + '.h5', key='df_with_missing', format='table', mode='w')
    table.to_csv(base + '.csv')
    return [base + '.h5', base + '.csv']


def sleap_labels(sequence: PredictionSequence, names: Sequence[str],
                 links: Sequence[Tuple[int, int]], flip_pairs: Sequence[Tuple[int, int]],
                 name: str = 'animal') -> sleap_io.Labels:
    """A SLEAP ``Labels`` of predicted instances (point scores kept) on the sequence's video
    (or image list)."""
    skeleton = sleap_io.Skeleton(nodes=list(names), name=name,
                                 edges=[(names[a], names[b]) for a, b in links],
                                 symmetries=[(names[a], names[b]) for a, b in flip_pairs])
    video = sleap_io.Video.from_filename(
        sequence.source if sequence.is_video else [osp.abspath(p) for p in sequence.image_paths])
    frames = []
    for frame in sorted(sequence.frames):
        instances = [sleap_io.PredictedInstance.from_numpy(
            np.asarray(keypoints, np.float64), skeleton=skeleton,
            point_scores=np.asarray(scores, np.float64), score=float(np.mean(scores)))
            for keypoints, scores in sequence.frames[frame]]
        if instances:
            frames.append(sleap_io.LabeledFrame(video=video, frame_idx=frame,
                                                instances=instances))
    return sleap_io.Labels(labeled_frames=frames, videos=[video], skeletons=[skeleton])


def write_sleap(sequence: PredictionSequence, names: Sequence[str],
                links: Sequence[Tuple[int, int]], flip_pairs: Sequence[Tuple[int, int]],
                out_dir: str, fmt: str) -> List[str]:
    """``<stem>.predictions.slp`` (fmt ``slp``) or ``<stem>.predictions.nwb`` (``nwb``,
    ndx-pose)."""
    labels = sleap_labels(sequence, names, links, flip_pairs)
    path = osp.join(out_dir, f'{sequence.stem}.predictions.{fmt}')
    if fmt == 'slp':
        sleap_io.save_slp(labels, path, verbose=False)
    else:
        sleap_io.save_nwb(labels, path)
    return [path]


def export_sequence(sequence: PredictionSequence, formats: Sequence[str], dataset_meta: dict,
                    out_dir: str) -> List[str]:
    """Write ``sequence`` in each of ``formats`` (``jsonl`` is written as it runs, not here).

    Args:
        sequence (PredictionSequence): The predictions.
        formats (Sequence[str]): Among :data:`EXPORT_FORMATS`.
        dataset_meta (dict): The model's ``dataset_meta`` (keypoint names, skeleton, flip).
        out_dir (str): Folder of the files.

    Returns:
        list[str]: The files written.
    """
    id2name = dataset_meta['keypoint_id2name']
    names = [id2name[k] for k in range(dataset_meta['num_keypoints'])]
    links = [tuple(link) for link in dataset_meta.get('skeleton_links', [])]
    flip = dataset_meta.get('flip_indices', list(range(len(names))))
    pairs = sorted({(min(k, int(f)), max(k, int(f))) for k, f in enumerate(flip) if f != k})
    written: List[str] = []
    for fmt in formats:
        if fmt == 'dlc':
            written += write_dlc(sequence, names, out_dir)
        elif fmt in ('slp', 'nwb'):
            written += write_sleap(sequence, names, links, pairs, out_dir, fmt)
    return written


def group_sequences(paths: Sequence[str], is_video) -> List[PredictionSequence]:
    """One sequence per video and per folder of images (in the order of ``paths``)."""
    sequences: List[PredictionSequence] = []
    folders: Dict[str, PredictionSequence] = {}
    for path in paths:
        if is_video(path):
            sequences.append(PredictionSequence(path, True))
            continue
        folder = osp.dirname(osp.abspath(path))
        if folder not in folders:
            folders[folder] = PredictionSequence(folder, False)
            sequences.append(folders[folder])
        folders[folder].image_paths.append(path)
    return sequences


def check_formats(formats: Optional[Sequence[str]],
                  sequences: Sequence[PredictionSequence]) -> List[str]:
    """The formats asked for (default ``jsonl``), without repeats, checked before any work.

    Raises:
        ValueError: An unknown format, or NWB for a folder of images (sleap-io writes NWB
            for videos only).
    """
    formats = list(dict.fromkeys(formats or ['jsonl']))
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown:
        raise ValueError(f'unknown --format {unknown}; choose from {EXPORT_FORMATS}')
    folders = [s.source for s in sequences if not s.is_video]
    if 'nwb' in formats and folders:
        raise ValueError(f'NWB export needs videos, but {folders[0]} is a folder of images; '
                         f'use --format slp or dlc for images')
    return formats
