"""A lab's whole experiment: every video analysed once, written atomically, resumable, shared
among worker processes or slurm array tasks, and one summary of how each went.

Each video (or image folder) goes through :class:`~.video_loop.VideoLoop`. Its predictions
are saved in chunks of frames as they come (``OUT/.partial/<stem>/``): a run killed at any
point resumes from the last whole chunk, and since every frame is predicted on its own the
final points are those of an uninterrupted run. Its outputs are written into the partial
folder and moved in place, then ``<stem>.done.json`` (its row of the summary) marks it done:
a re-run skips it unless told to redo it. A video that cannot be read is named with its
reason in ``<stem>.failed.json``, and the others go on.
"""
import csv
import dataclasses
import glob
import json
import multiprocessing
import os
import os.path as osp
import shutil
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch

from ..fileio.sequence_file import load_sequence, save_sequence, video_fingerprint
from ..postprocessing import StepConfig, describe_steps
from ..structures import PoseSequence, concatenate_sequences
from ..utils.atomic_files import atomic_path
from ..visualization.experiment_plots import plot_experiment
from .detection import Detector
from .inference import fuse_for_inference, load_pose_model
from .video_loop import Analysis, VideoLoop
from .video_prediction import Progress, SequenceInput, predict_chunks, read_frames

CHUNK_FRAMES = 1000  # frames predicted between two saves of a video's progress
PARTIAL = '.partial'


@dataclass
class VideoResult:
    """How one video of an experiment went: a row of the summary.

    Args:
        source (str): The video (or image folder).
        stem (str): Its outputs' file stem in the output folder.
        status (str): ``done``, ``failed`` or ``skipped`` (done by an earlier run).
        frames (int): Frames predicted.
        frames_per_s (float): Frames per second of its analysis (reading to writing).
        mean_confidence (float): Mean keypoint score.
        under_cut (float): Share of the keypoints under the confidence cut.
        outlier_frames (int): Frames whose outlier score is at least 1 (a body part lost,
            a leap, an impossible body, or who-is-who unsure).
        seconds (float): Time spent on it in the run that did it.
        files (List[str]): Its output files.
        steps (str): The post-processing applied.
        reason (str): Why it failed.
    """

    source: str
    stem: str
    status: str
    frames: int = 0
    frames_per_s: float = 0.0
    mean_confidence: float = float('nan')
    under_cut: float = float('nan')
    outlier_frames: int = 0
    seconds: float = 0.0
    files: List[str] = field(default_factory=list)
    steps: str = ''
    reason: str = ''


def unique_stems(items: Sequence[SequenceInput]) -> Dict[str, str]:
    """Source -> output stem: the video's (or folder's) name, with its parent folders'
    names in front where two would clash (``day1_mouse3`` and ``day2_mouse3``)."""
    stems: Dict[str, str] = {}
    depth = {item.source: 0 for item in items}
    while True:
        stems = {}
        for item in items:
            parts = osp.abspath(item.source).split(os.sep)
            parents = parts[-1 - depth[item.source]:-1] if depth[item.source] else []
            stems[item.source] = '_'.join(parents + [item.stem])
        clashing = [s for s in stems if list(stems.values()).count(stems[s]) > 1]
        if not clashing:
            return stems
        for source in clashing:
            depth[source] += 1


def shard(items: Sequence[SequenceInput], index: int, count: int) -> List[SequenceInput]:
    """Task ``index`` of ``count``'s share of the items: every ``count``-th of them in
    sorted order, from the ``index``-th (each item in exactly one share).

    Raises:
        ValueError: Not 0 <= index < count.
    """
    if not 0 <= index < count:
        raise ValueError(f'shard {index}/{count}: need 0 <= index < count')
    ordered = sorted(items, key=lambda item: osp.abspath(item.source))
    return ordered[index::count]


def shard_from_environment(environ: Dict[str, str]) -> Optional[Tuple[int, int]]:
    """The (index, count) of a slurm array task (``SLURM_ARRAY_TASK_ID`` within
    ``SLURM_ARRAY_TASK_MIN`` .. ``MAX``), or None outside an array."""
    if 'SLURM_ARRAY_TASK_ID' not in environ:
        return None
    low = int(environ.get('SLURM_ARRAY_TASK_MIN', 0))
    high = int(environ.get('SLURM_ARRAY_TASK_MAX', low))
    count = int(environ.get('SLURM_ARRAY_TASK_COUNT', high - low + 1))
    return int(environ['SLURM_ARRAY_TASK_ID']) - low, count


class Experiment:
    """Analyse many videos into one output folder.

    Args:
        loop (VideoLoop): The model and its analysis.
        out_dir (str): Where every video's outputs and the summary go.
        formats (Sequence[str]): Prediction files (``jsonl``, ``dlc``, ``lp``, ``slp``,
            ``nwb``).
        overlay (bool): Write overlay videos. Defaults to ``True``.
        plots (bool): Write the PNG plots. Defaults to ``True``.
        overwrite (bool): Redo videos an earlier run finished. Defaults to ``False``.
        chunk_frames (int): Frames predicted between two saves of a video's progress.
            Defaults to :data:`CHUNK_FRAMES`.
        model_id (str): What names the model (e.g. its checkpoint): saved progress of
            another model is not resumed. Defaults to ``''``.
    """

    def __init__(self, loop: VideoLoop, out_dir: str, formats: Sequence[str],
                 overlay: bool = True, plots: bool = True, overwrite: bool = False,
                 chunk_frames: int = CHUNK_FRAMES, model_id: str = ''):
        if chunk_frames < 1:
            raise ValueError(f'chunk_frames must be >= 1, got {chunk_frames}')
        self.loop, self.out_dir, self.formats = loop, out_dir, list(formats)
        self.overlay, self.plots, self.overwrite = overlay, plots, overwrite
        self.chunk_frames, self.model_id = chunk_frames, model_id

    def marker(self, stem: str, status: str) -> str:
        return osp.join(self.out_dir, f'{stem}.{status}.json')

    def run(self, item: SequenceInput, stem: str, progress: Progress = None) -> VideoResult:
        """Analyse one video (skipped when done, unless ``overwrite``); a failure is the
        result's status, never an exception."""
        done = self.marker(stem, 'done')
        if osp.isfile(done) and not self.overwrite:
            with open(done) as file:
                return VideoResult(**dict(json.load(file), status='skipped'))
        start = time.perf_counter()
        try:
            raw = self.predict(item, stem, progress)
            analysis = self.loop.analyse(item, raw=raw)
            files = self.write(analysis, stem)
        except Exception as error:  # one bad video must not stop the experiment
            result = VideoResult(item.source, stem, 'failed', seconds=time.perf_counter() - start,
                                 reason=f'{type(error).__name__}: {error}')
            _write_json(self.marker(stem, 'failed'), dict(
                asdict(result), traceback=traceback.format_exc()))
            return result
        seconds = time.perf_counter() - start
        result = video_result(item.source, stem, analysis, seconds, files, self.out_dir)
        _write_json(done, asdict(result))
        failed = self.marker(stem, 'failed')
        if osp.isfile(failed):
            os.remove(failed)
        shutil.rmtree(osp.join(self.out_dir, PARTIAL, stem), ignore_errors=True)
        return result

    def predict(self, item: SequenceInput, stem: str, progress: Progress) -> PoseSequence:
        """The item's raw predictions: the chunks an earlier run of the same video and
        model saved, then the rest in one pass over the video, each chunk saved as it is
        done."""
        count = read_frames(item)[1]  # an unreadable input fails here, leaving nothing
        folder = osp.join(self.out_dir, PARTIAL, stem)
        identity = dict(video=video_fingerprint(item.source) if item.is_video else item.source,
                        model=self.model_id, chunk_frames=self.chunk_frames)
        stamp = osp.join(folder, 'identity.json')
        if self.overwrite or not osp.isfile(stamp) or json.load(open(stamp)) != identity:
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            _write_json(stamp, identity)

        def chunk_path(first: int) -> str:
            return osp.join(folder, f'chunk_{first:010d}.sequence.npz')
        chunks: List[PoseSequence] = []
        first = 0
        while first < count and osp.isfile(chunk_path(first)):
            chunks.append(load_sequence(chunk_path(first)))
            first += chunks[-1].num_frames
        if first < count or not chunks:
            for chunk in predict_chunks(self.loop.model, item, self.loop.batch_size,
                                        self.loop.detector, progress, first,
                                        self.chunk_frames):
                with atomic_path(chunk_path(first)) as partial:
                    save_sequence(chunk, partial)
                chunks.append(chunk)
                first += chunk.num_frames
        return concatenate_sequences(chunks)

    def write(self, analysis: Analysis, stem: str) -> List[str]:
        """Write the outputs into the partial folder, then move each in place."""
        staging = osp.join(self.out_dir, PARTIAL, stem, 'out')
        shutil.rmtree(staging, ignore_errors=True)
        named = dataclasses.replace(
            analysis, raw=dataclasses.replace(analysis.raw, name=stem),
            filtered=dataclasses.replace(analysis.filtered, name=stem))
        moved = []
        for path in self.loop.write(named, staging, self.formats, self.overlay, self.plots):
            target = osp.join(self.out_dir, osp.relpath(path, staging))
            os.makedirs(osp.dirname(target), exist_ok=True)
            os.replace(path, target)
            moved.append(target)
        return moved


def video_result(source: str, stem: str, analysis: Analysis, seconds: float,
                 files: List[str], out_dir: str) -> VideoResult:
    """The summary row of an analysed video (its files relative to ``out_dir``)."""
    raw = analysis.raw
    scores = raw.scores[np.isfinite(raw.scores)]
    return VideoResult(
        source=source, stem=stem, status='done', frames=raw.num_frames,
        frames_per_s=raw.num_frames / max(seconds, 1e-9),
        mean_confidence=float(scores.mean()) if len(scores) else float('nan'),
        under_cut=float((scores < analysis.threshold).mean()) if len(scores) else float('nan'),
        outlier_frames=int((analysis.quality['outlier'] >= 1).sum()), seconds=seconds,
        files=[osp.relpath(f, out_dir) for f in files],
        steps=describe_steps(analysis.steps))


def _write_json(path: str, payload: dict) -> None:
    """Write ``payload`` to ``path`` atomically (a whole file or none)."""
    with atomic_path(path) as partial, open(partial, 'w') as file:
        json.dump(payload, file, indent=1, default=str)


def read_results(out_dir: str) -> List[VideoResult]:
    """Every video's row in ``out_dir`` (done or failed, by any run or task), by source."""
    rows = []
    for path in sorted(glob.glob(osp.join(out_dir, '*.done.json'))
                       + glob.glob(osp.join(out_dir, '*.failed.json'))):
        with open(path) as file:
            payload = json.load(file)
        payload.pop('traceback', None)
        rows.append(VideoResult(**payload))
    return sorted(rows, key=lambda row: row.source)


SUMMARY_COLUMNS = ('source', 'stem', 'status', 'frames', 'frames_per_s', 'mean_confidence',
                   'under_cut', 'outlier_frames', 'seconds', 'files', 'reason')


def write_summary(out_dir: str) -> List[str]:
    """``summary.csv`` (one row per video of every run and task so far: how it went and
    what it wrote) and ``summary.png`` (each video's confidence over its length, and its
    share of points under the cut), written atomically; the files written."""
    rows = read_results(out_dir)
    path = osp.join(out_dir, 'summary.csv')
    with atomic_path(path) as partial, open(partial, 'w', newline='') as file:
        writer = csv.writer(file)
        writer.writerow(SUMMARY_COLUMNS)
        for row in rows:
            values = asdict(row)
            values['files'] = ' '.join(values['files'])
            writer.writerow([f'{v:.4g}' if isinstance(v, float) else v
                             for v in (values[c] for c in SUMMARY_COLUMNS)])
    confidence = {}
    for row in rows:
        quality = osp.join(out_dir, f'{row.stem}.quality.csv')
        if row.status != 'failed' and osp.isfile(quality):
            confidence[row.stem] = np.atleast_1d(np.genfromtxt(
                quality, delimiter=',', names=True, dtype=None, encoding=None)['score_mean'])
    picture = plot_experiment([(row.stem, row.status, row.under_cut) for row in rows],
                              confidence, osp.join(out_dir, 'summary.png'))
    return [path, picture]


_worker: Optional[Experiment] = None  # each worker process's experiment (its model loaded once)


def _start_worker(build: Callable[[], Experiment], threads: int) -> None:
    global _worker
    torch.set_num_threads(threads)
    _worker = build()


def _run_in_worker(item: SequenceInput, stem: str) -> VideoResult:
    return _worker.run(item, stem)


def run_experiment(items: Sequence[SequenceInput], build: Callable[[], Experiment],
                   out_dir: str, workers: int = 1,
                   done: Callable[[VideoResult], None] = lambda row: None,
                   progress: Progress = None) -> List[VideoResult]:
    """Analyse every item, in this process or in ``workers`` processes (Python's
    ``concurrent.futures``: each worker builds the experiment, and loads the model, once,
    and takes the next video as it finishes one), then write the summary.

    Args:
        items (Sequence[SequenceInput]): The videos and image folders.
        build (Callable[[], Experiment]): Makes the experiment, writing into ``out_dir``
            (picklable, e.g. a ``functools.partial`` of :func:`build_experiment`, for the
            workers).
        out_dir (str): The output folder (its summary is written at the end).
        workers (int): Processes; each gets an equal share of the CPU threads. Defaults to
            ``1`` (this process).
        done (Callable[[VideoResult], None]): Called with each video's result as it ends.
        progress (Callable, optional): Wraps each video's frames (in this process only).

    Returns:
        list[VideoResult]: One per item, in the order of ``items``.
    """
    if workers < 1:
        raise ValueError(f'workers must be >= 1, got {workers}')
    stems = unique_stems(items)
    results: Dict[str, VideoResult] = {}
    if workers == 1:
        experiment = build()
        for item in items:
            results[item.source] = experiment.run(item, stems[item.source], progress)
            done(results[item.source])
    else:
        threads = max(1, (os.cpu_count() or 1) // workers)
        context = multiprocessing.get_context('spawn')
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(build, threads)) as pool:
            futures = {pool.submit(_run_in_worker, item, stems[item.source]): item
                       for item in items}
            for future in as_completed(futures):
                results[futures[future].source] = future.result()
                done(results[futures[future].source])
    write_summary(out_dir)
    return [results[item.source] for item in items]


def build_experiment(config: str, checkpoint: str, out_dir: str, formats: Sequence[str],
                     device: str = 'cpu', onnx: Optional[str] = None, fuse: bool = True,
                     steps: Optional[Sequence[StepConfig]] = None, batch_size: int = 8,
                     detector: Optional[dict] = None, track: bool = True,
                     appearance: bool = False, **options) -> Experiment:
    """Load the model (onnxruntime with ``onnx``; BN folded with ``fuse``) and make the
    experiment (``options``: :class:`Experiment`'s). A module function, so worker processes
    can build their own.

    Args:
        detector (dict, optional): :class:`~.detection.Detector` arguments.
    """
    model = load_pose_model(config, checkpoint, device)
    if onnx:
        from .onnx_export import use_onnxruntime  # the onnx extra
        use_onnxruntime(model, onnx)
    elif fuse:
        fuse_for_inference(model)
    loop = VideoLoop(model, steps, batch_size, Detector(**detector) if detector else None,
                     track, appearance)
    stat = os.stat(onnx or checkpoint)
    return Experiment(loop, out_dir, formats, model_id=f'{osp.abspath(onnx or checkpoint)}:'
                      f'{stat.st_size}:{stat.st_mtime_ns}', **options)
