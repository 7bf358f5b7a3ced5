"""Pictures of a video's predictions: trajectories over time, the outlier score, and an
overlay video drawn in a second pass over the frames (so it shows the final points)."""
import os
import os.path as osp
from typing import Dict, Iterable, List, Optional

import cv2
import numpy as np

from ..structures import PoseSequence
from .draw_keypoints import draw_instances, palette

FIGURE_WIDTH = 14.0  # inches of a trajectory plot
ROW_INCHES = 2.0  # a keypoint's row
MARGIN_INCHES = 0.55  # above (title) and below (time axis) the rows


def plot_trajectories(raw: PoseSequence, filtered: PoseSequence, threshold: float, path: str,
                      instance: int = 0) -> str:
    """One row per keypoint: x and y over time, raw points scoring under ``threshold``
    marked, the filtered trajectory over them. Writes a PNG.

    Args:
        raw (PoseSequence): The model's predictions.
        filtered (PoseSequence): The post-processed ones.
        threshold (float): The confidence cut (points under it are marked).
        path (str): The PNG to write.
        instance (int): Which animal. Defaults to ``0``.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    names = raw.keypoint_names
    frames = np.arange(raw.num_frames)
    time = frames / raw.fps if raw.fps else frames
    height = ROW_INCHES * len(names) + 2 * MARGIN_INCHES
    figure, axes = plt.subplots(len(names), 2, figsize=(FIGURE_WIDTH, height), sharex=True,
                                squeeze=False)
    low = raw.scores[:, instance] < threshold
    for k, name in enumerate(names):
        for c, coord in enumerate('xy'):
            axis = axes[k, c]
            axis.plot(time, raw.keypoints[:, instance, k, c], color='0.7', lw=0.6, label='raw')
            axis.plot(time, filtered.keypoints[:, instance, k, c], color='tab:blue', lw=0.9,
                      label='filtered')
            axis.scatter(time[low[:, k]], raw.keypoints[low[:, k], instance, k, c], s=6,
                         color='tab:red', label=f'score < {threshold:g}', zorder=3)
            axis.set_ylabel(f'{name} {coord} (px)', fontsize=8)
    axes[0, 1].legend(loc='upper right', fontsize=7)
    for axis in axes[-1]:
        axis.set_xlabel('time (s)' if raw.fps else 'frame')
    who = f' ({raw.instance_names[instance]})' if raw.num_instances > 1 else ''
    figure.suptitle(f'{raw.stem}{who}: keypoints over time', fontsize=10,
                    y=1 - 0.15 / height, va='top')
    # fixed margins: tight_layout measures every axis (~1 s an animal with 24 keypoints)
    figure.subplots_adjust(left=0.8 / FIGURE_WIDTH, right=1 - 0.2 / FIGURE_WIDTH,
                           bottom=MARGIN_INCHES / height, top=1 - MARGIN_INCHES / height,
                           wspace=0.15, hspace=0.25)
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def plot_animal_trajectories(raw: PoseSequence, filtered: PoseSequence, threshold: float,
                             stem: str) -> List[str]:
    """:func:`plot_trajectories` of each animal: ``<stem>.trajectories.png`` for one,
    ``<stem>.<track name>.trajectories.png`` for each of several."""
    if raw.num_instances == 1:
        return [plot_trajectories(raw, filtered, threshold, f'{stem}.trajectories.png')]
    return [plot_trajectories(raw, filtered, threshold, f'{stem}.{name}.trajectories.png', n)
            for n, name in enumerate(raw.instance_names)]


def plot_outlier_score(quality: Dict[str, np.ndarray], path: str, title: str,
                       picked: Iterable[int] = ()) -> str:
    """The per-frame outlier score and its parts over time (frames picked for labelling
    marked). Writes a PNG."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    frames = np.arange(len(quality['outlier']))
    figure, axis = plt.subplots(figsize=(14, 3.2))
    axis.plot(frames, quality['outlier'], color='black', lw=0.8, label='outlier score')
    axis.plot(frames, quality['drop'], lw=0.6, label='confidence drop (least sure quarter)')
    axis.plot(frames, np.minimum(quality['edge_deviation'], 1), lw=0.6,
              label='edge length deviation')
    picked = sorted(picked)
    if picked:
        axis.scatter(picked, quality['outlier'][picked], color='tab:red', s=18, zorder=3,
                     label='picked to label')
    axis.set_xlabel('frame')
    axis.set_title(title, fontsize=10)
    axis.legend(loc='upper right', fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def draw_frame(image: np.ndarray, sequence: PoseSequence, frame: int,
               threshold: float) -> np.ndarray:
    """Draw the sequence's points of ``frame`` scoring at least ``threshold`` on a BGR image,
    in place: one animal coloured by body part with its skeleton, several coloured by
    identity with their track names."""
    several = sequence.num_instances > 1
    return draw_instances(
        image, sequence.keypoints[frame], sequence.scores[frame] >= threshold,
        sequence.links, instance_colors=palette(sequence.num_instances) if several else None,
        instance_names=sequence.instance_names if several else None)


def write_overlay_video(frames: Iterable[np.ndarray], sequence: PoseSequence, threshold: float,
                        path: str, fps: Optional[float] = None) -> str:
    """An MP4 of ``frames`` (read again, one at a time) with the sequence's points drawn,
    hiding points under ``threshold``."""
    writer = None
    try:
        for t, frame in enumerate(frames):
            if t >= sequence.num_frames:
                break
            if writer is None:
                writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'),
                                         fps or sequence.fps or 25.0, frame.shape[1::-1])
            writer.write(draw_frame(frame.copy(), sequence, t, threshold))
    finally:
        if writer is not None:
            writer.release()
    return path


def write_overlays(frames: Iterable[np.ndarray], sequence: PoseSequence, threshold: float,
                   out_dir: str) -> List[str]:
    """Overlays of the sequence's points in ``out_dir``: ``<stem>.mp4`` for a video, one
    ``<image>.png`` per image of a folder; points under ``threshold`` hidden."""
    os.makedirs(out_dir, exist_ok=True)
    if sequence.is_video:
        return [write_overlay_video(frames, sequence, threshold,
                                    osp.join(out_dir, f'{sequence.stem}.mp4'))]
    written = []
    for t, image in enumerate(frames):
        name = osp.splitext(osp.basename(sequence.image_paths[t]))[0]
        written.append(osp.join(out_dir, f'{name}.png'))
        cv2.imwrite(written[-1], draw_frame(image, sequence, t, threshold))
    return written
