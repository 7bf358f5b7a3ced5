"""A video's analysis: raw predictions -> identities -> post-processing -> per-frame quality,
and every output written from the finished sequences (the overlay video in a second pass over
the frames, so it shows the final points)."""
import os.path as osp
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
from mmengine.config import Config

from .frame_quality import EdgeLengths, frame_quality, label_edge_lengths, write_quality_csv
from .identity_tracking import track_identities
from .pose_sequence import PoseSequence, save_sequence
from .sequence_steps import StepConfig, apply_steps


@dataclass
class Analysis:
    """A sequence's predictions before and after post-processing, and each frame's quality.

    Args:
        raw (PoseSequence): The model's predictions (identities tracked when asked).
        filtered (PoseSequence): After the post-processing steps.
        quality (Dict[str, np.ndarray]): :func:`frame_quality`'s measures, each (T,).
        threshold (float): The confidence cut of the steps (0 without one): overlays and
            plots hide or mark the points under it.
    """

    raw: PoseSequence
    filtered: PoseSequence
    quality: Dict[str, np.ndarray]
    threshold: float


def cut_threshold(steps: Optional[Iterable[StepConfig]]) -> float:
    """The ``ConfidenceCut`` threshold of ``steps`` (0 without one)."""
    for step in steps or ():
        if isinstance(step, dict) and step.get('type') == 'ConfidenceCut':
            return float(step['threshold'])
    return 0.0


def training_edge_lengths(cfg: Config, dataset_meta: dict) -> Optional[EdgeLengths]:
    """The edge lengths of the config's training labels (a COCO json), or None when the
    training set is not one (e.g. a noses file) or is not on this machine."""
    dataset = cfg.train_dataloader.dataset
    ann_file = osp.join(dataset.get('data_root') or '', dataset.get('ann_file', ''))
    if not ann_file.endswith('.json') or not osp.isfile(ann_file):
        return None
    links = [tuple(link) for link in dataset_meta.get('skeleton_links', [])]
    return label_edge_lengths(ann_file, links)


def analyse(raw: PoseSequence, steps: Optional[Sequence[StepConfig]],
            edge_lengths: Optional[EdgeLengths] = None, track: bool = True,
            max_missed: int = 10) -> Analysis:
    """Track identities (several instances), post-process, and score every frame.

    Args:
        raw (PoseSequence): The model's predictions.
        steps (Sequence, optional): Post-processing steps (config dicts or callables).
        edge_lengths (dict, optional): The training labels' edge lengths.
        track (bool): Keep each animal's identity across frames when there are several
            (:func:`track_identities`). Defaults to ``True``.
        max_missed (int): Frames a lost animal keeps its identity. Defaults to ``10``.
    """
    if track and raw.num_instances > 1:
        raw = track_identities(raw, max_missed=max_missed)
    filtered = apply_steps(raw, steps)
    return Analysis(raw, filtered, frame_quality(raw, filtered, edge_lengths),
                    cut_threshold(steps))


def write_analysis(analysis: Analysis, out_dir: str, formats: Sequence[str],
                   frames: Optional[Iterable[np.ndarray]] = None,
                   plots: bool = True) -> List[str]:
    """Write a sequence's outputs into ``out_dir``.

    ``<stem>.sequence.npz`` (the raw predictions, for ``tools/label_next.py``),
    ``<stem>.quality.csv``, the files of ``formats`` (DeepLabCut raw and
    ``_filtered``; SLEAP / NWB of the filtered points), and with ``plots`` the trajectory and
    outlier-score PNGs. ``frames`` (read again) give the overlay: an MP4 for a video, a PNG
    per image for a folder, points under the cut hidden.

    Returns:
        list[str]: The files written.
    """
    from ..visualization.sequence_plots import (plot_outlier_score, plot_trajectories,
                                                write_overlays)
    from .prediction_export import export_sequence
    raw, filtered = analysis.raw, analysis.filtered
    stem = osp.join(out_dir, raw.stem)
    written = [save_sequence(raw, f'{stem}.sequence.npz'),
               write_quality_csv(analysis.quality, raw, f'{stem}.quality.csv')]
    written += export_sequence(raw, [f for f in formats if f != 'jsonl'], out_dir, filtered)
    if plots:
        written.append(plot_trajectories(raw, filtered, analysis.threshold,
                                         f'{stem}.trajectories.png'))
        written.append(plot_outlier_score(analysis.quality, f'{stem}.outliers.png',
                                          f'{raw.stem}: per-frame outlier score'))
    if frames is not None:
        written += write_overlays(frames, filtered, analysis.threshold,
                                  osp.join(out_dir, 'overlays'))
    return written
