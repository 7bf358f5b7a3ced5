"""A video's loop, in one place: predict -> identities -> post-processing -> per-frame quality
-> files; then the frames to label next. ``tools/infer.py``, ``tools/label_next.py`` and the
benchmarks call :class:`VideoLoop`; they only parse arguments and print.

    loop = VideoLoop(load_pose_model(config, checkpoint))
    analysis = loop.analyse(SequenceInput('video.mp4', True))
    loop.write(analysis, 'out', formats=['dlc', 'slp'])
    picks = loop.pick([analysis], num=20)
"""
import dataclasses
import os
import os.path as osp
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.config import Config
from torch import nn

from ..fileio.media import read_selected
from ..fileio.sequence_file import save_sequence
from ..labelling.frame_picking import (Pick, candidate_frames, default_min_gap, pick_frames,
                                       read_thumbnails)
from ..postprocessing import (EdgeLengths, StepConfig, build_steps, default_steps,
                              frame_quality, label_edge_lengths, track_identities,
                              write_quality_csv)
from ..postprocessing.sequence_steps import ConfidenceCut
from ..structures import PoseSequence
from ..visualization.sequence_plots import (plot_animal_trajectories, plot_outlier_score,
                                            write_overlays)
from .detection import Detector
from .video_prediction import Progress, SequenceInput, predict_sequence, read_frames


@dataclass
class Analysis:
    """A sequence's predictions before and after post-processing, and each frame's quality.

    Args:
        raw (PoseSequence): The model's predictions (identities tracked when asked).
        filtered (PoseSequence): After the post-processing steps.
        quality (Dict[str, np.ndarray]): :func:`frame_quality`'s measures, each (T,).
        steps (List[StepConfig]): The post-processing steps applied, in order.
        threshold (float): The confidence cut among them (0 without one): overlays and
            plots hide or mark the points under it.
    """

    raw: PoseSequence
    filtered: PoseSequence
    quality: Dict[str, np.ndarray]
    steps: List[StepConfig]
    threshold: float


def training_edge_lengths(cfg: Config, dataset_meta: dict) -> Optional[EdgeLengths]:
    """The edge lengths of the config's training labels (a COCO json), or None when the
    training set is not one (e.g. a noses file) or is not on this machine."""
    dataset = cfg.train_dataloader.dataset
    ann_file = osp.join(dataset.get('data_root') or '', dataset.get('ann_file', ''))
    if not ann_file.endswith('.json') or not osp.isfile(ann_file):
        return None
    links = [tuple(link) for link in dataset_meta.get('skeleton_links', [])]
    return label_edge_lengths(ann_file, links)


def analyse(raw: PoseSequence, steps: Sequence[StepConfig],
            edge_lengths: Optional[EdgeLengths] = None, track: bool = True,
            identity_names: Sequence[str] = ()) -> Analysis:
    """Track identities (several instances), post-process, and score every frame.

    Args:
        raw (PoseSequence): The model's predictions.
        steps (Sequence[StepConfig]): Post-processing steps (config dicts or callables),
            each on every animal's trajectories.
        edge_lengths (dict, optional): The training labels' edge lengths.
        track (bool): Keep each animal's identity across frames when there are several
            (:func:`track_identities`). Defaults to ``True``.
        identity_names (Sequence[str]): The labels' identities, in the order of the
            sequence's ``identity_scores``: with them, who is who is decided by appearance
            as well as motion, and the tracks take these names. Defaults to motion only.
    """
    if track and raw.num_instances > 1:
        appearance = raw.identity_scores if len(identity_names) == raw.num_instances else None
        raw = track_identities(raw, appearance=appearance)
        if appearance is not None:
            raw = dataclasses.replace(raw, track_names=list(identity_names))
    built = build_steps(steps)
    filtered = raw
    for step in built:
        filtered = step(filtered)
    threshold = next((float(s.threshold) for s in built if isinstance(s, ConfidenceCut)), 0.0)
    return Analysis(raw, filtered, frame_quality(raw, filtered, edge_lengths,
                                                 threshold=threshold), list(steps), threshold)


class VideoLoop:
    """One pose model over videos and image folders: predictions, their analysis, the files
    labs open, and the frames to label next.

    Args:
        model (nn.Module): A loaded pose model (``load_pose_model``).
        steps (Sequence[StepConfig], optional): Post-processing steps; ``None``: the
            defaults for each sequence (:func:`default_steps`), ``[]``: none.
        batch_size (int): Frames per network call. Defaults to ``8``.
        detector (Detector, optional): Boxes of the animals; without one the model finds
            them.
        track (bool): Follow identities across frames (several animals). Defaults to
            ``True``.
        appearance (bool): Tell the animals apart by appearance too, when the model learned
            the labels' identities (their names then name the tracks). Defaults to
            ``False``: motion alone (benchmarks/README.md, several animals).
    """

    def __init__(self, model: nn.Module, steps: Optional[Sequence[StepConfig]] = None,
                 batch_size: int = 8, detector: Optional[Detector] = None,
                 track: bool = True, appearance: bool = False):
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        self.model, self.batch_size, self.detector, self.track = (model, batch_size, detector,
                                                                  track)
        self.steps = None if steps is None else list(steps)
        build_steps(self.steps)  # refuse bad steps before any work
        self.edge_lengths = training_edge_lengths(model.cfg, model.dataset_meta)
        named = list(model.dataset_meta.get('track_names') or [])
        self.identity_names = named if appearance and getattr(model, 'num_identities', 0) \
            else []
        if appearance and not self.identity_names:
            raise ValueError('appearance needs a model that learned the labels\' identities '
                             '(several animals whose labels name them, e.g. SLEAP tracks)')

    def steps_for(self, raw: PoseSequence) -> List[StepConfig]:
        """The post-processing steps of ``raw``: the chosen ones, or its defaults."""
        return default_steps(raw) if self.steps is None else self.steps

    def predict(self, item: SequenceInput, progress: Progress = None) -> PoseSequence:
        """The model's raw predictions on every frame of ``item``."""
        return predict_sequence(self.model, item, self.batch_size, self.detector, progress)

    def analyse(self, item: SequenceInput, progress: Progress = None,
                raw: Optional[PoseSequence] = None) -> Analysis:
        """Predict ``item`` (or take its saved ``raw`` predictions), then :func:`analyse`."""
        raw = self.predict(item, progress) if raw is None else raw
        return analyse(raw, self.steps_for(raw), self.edge_lengths, self.track,
                       self.identity_names)

    def write(self, analysis: Analysis, out_dir: str, formats: Sequence[str],
              overlay: bool = True, plots: bool = True) -> List[str]:
        """Write a sequence's outputs into ``out_dir``.

        ``<stem>.sequence.npz`` (the raw predictions, for ``tools/label_next.py``),
        ``<stem>.quality.csv``, the files of ``formats`` (``jsonl``:
        ``<stem>.predictions.jsonl``), with ``plots`` the trajectory and outlier-score PNGs,
        with ``overlay`` the frames (read again) with the final points: an MP4 for a video,
        a PNG per image for a folder.

        Returns:
            list[str]: The files written.
        """
        # the labels extra: imported when writing, not by this module
        from ..fileio.prediction_files import export_sequence, write_jsonl
        raw, filtered = analysis.raw, analysis.filtered
        os.makedirs(out_dir, exist_ok=True)
        stem = osp.join(out_dir, raw.stem)
        written = [save_sequence(raw, f'{stem}.sequence.npz'),
                   write_quality_csv(analysis.quality, raw, f'{stem}.quality.csv')]
        if 'jsonl' in formats:
            written.append(write_jsonl(raw, f'{stem}.predictions.jsonl', filtered))
        written += export_sequence(raw, [f for f in formats if f != 'jsonl'], out_dir, filtered)
        if plots:
            written += plot_animal_trajectories(raw, filtered, analysis.threshold, stem)
            written.append(plot_outlier_score(analysis.quality, f'{stem}.outliers.png',
                                              f'{raw.stem}: per-frame outlier score'))
        if overlay:
            written += write_overlays(read_frames(_input_of(raw))[0], filtered,
                                      analysis.threshold, osp.join(out_dir, 'overlays'))
        return written

    @staticmethod
    def pick(analyses: Sequence[Analysis], num: int, min_gap: Optional[int] = None,
             seed: int = 0) -> List[Pick]:
        """The ``num`` frames to label next over the analysed videos (worst first, spread
        over appearance and time; :func:`pick_frames`). ``min_gap`` defaults to each
        video's :func:`default_min_gap` (the smallest over the videos)."""
        gap = min_gap or min(default_min_gap(a.raw.num_frames, num) for a in analyses)
        candidates = [candidate_frames(a.quality, num) for a in analyses]
        thumbnails = [read_thumbnails(read_frames(_input_of(a.raw))[0], c)
                      for a, c in zip(analyses, candidates)]
        return pick_frames([a.quality for a in analyses], thumbnails, candidates, num,
                           min_gap=gap, seed=seed)


def _input_of(sequence: PoseSequence) -> SequenceInput:
    """The video or image folder a sequence was predicted on."""
    return SequenceInput(sequence.source, sequence.is_video, list(sequence.image_paths))


def chosen_frames(picks: Sequence[Pick], num_videos: int) -> List[List[int]]:
    """Per video, the sorted frame indices of ``picks``."""
    return [sorted(p.frame for p in picks if p.video == v) for v in range(num_videos)]


def write_labelling_job(analyses: Sequence[Analysis], picks: Sequence[Pick], fmt: str,
                        out: Optional[str] = None, project: Optional[str] = None
                        ) -> tuple:
    """Write the picked frames with the model's guesses as a labelling job.

    Args:
        analyses (Sequence[Analysis]): The videos' analyses (their raw predictions are the
            guesses).
        picks (Sequence[Pick]): :meth:`VideoLoop.pick`'s frames.
        fmt (str): ``'dlc'`` (into ``project``, or a new project at ``out``) or ``'slp'``
            (a new ``.slp`` at ``out``).
        out (str, optional): The project folder or ``.slp`` file to create.
        project (str, optional): An existing DeepLabCut project to add the frames to.

    Returns:
        tuple: (files written, notes about what was kept as it was).
    """
    from ..labelling.labelling_jobs import write_dlc_job, write_sleap_job
    chosen = chosen_frames(picks, len(analyses))
    if fmt == 'slp':
        return [write_sleap_job([a.raw for a in analyses], chosen, out)], []
    written, notes = [], []
    for analysis, frames in zip(analyses, chosen):
        images = dict(read_selected(read_frames(_input_of(analysis.raw))[0], frames))
        files, kept = write_dlc_job(analysis.raw, frames, images, project or out,
                                    create=not project)
        written += files
        notes += kept
    return written, notes
