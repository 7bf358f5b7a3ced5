"""Pick the frames to label next: where the model is worst, spread over the video and over
appearance, never two frames a few frames apart."""
from dataclasses import dataclass
from typing import Dict, Iterator, List, Sequence, Tuple

import cv2
import numpy as np
from scipy.cluster.vq import kmeans2, whiten
from scipy.stats import rankdata

from ..fileio.media import read_selected

THUMBNAIL = (32, 24)  # (W, H) of the gray thumbnails the appearance clusters are made of


@dataclass(frozen=True)
class Pick:
    """A frame chosen for labelling.

    Args:
        video (int): Index of its video among the inputs.
        frame (int): Frame index in that video.
        outlier (float): Its outlier score.
        cluster (int): Its appearance cluster.
        reason (str): Why it was chosen, for people.
    """

    video: int
    frame: int
    outlier: float
    cluster: int
    reason: str


def candidate_frames(quality: Dict[str, np.ndarray], num: int) -> np.ndarray:
    """Frames worth looking at (sorted): the ``20 * num`` worst by :func:`frame_priority`
    plus ``20 * num`` frames spread evenly over the video (appearance variety)."""
    count = len(quality['outlier'])
    top = np.argsort(-frame_priority(quality), kind='stable')[:20 * num]
    spread = np.linspace(0, count - 1, num=min(count, 20 * num)).round().astype(int)
    return np.unique(np.concatenate([top, spread]))


def read_thumbnails(frames: Iterator[np.ndarray], wanted: Sequence[int]) -> np.ndarray:
    """(len(wanted), 24 * 32) gray thumbnails of the ``wanted`` frames (sorted indices),
    read in one pass; frames that cannot be read give a black thumbnail."""
    thumbnails = {}
    for index, frame in read_selected(frames, wanted):
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
        thumbnails[index] = cv2.resize(gray, THUMBNAIL, interpolation=cv2.INTER_AREA)
    blank = np.zeros(THUMBNAIL[::-1], np.uint8)
    return np.stack([thumbnails.get(int(i), blank) for i in wanted]).reshape(len(wanted), -1)


def default_min_gap(num_frames: int, num: int) -> int:
    """The least distance between two picks of a video: its length over ``4 * num``, at
    least 10 frames."""
    return max(10, num_frames // (4 * num))


def reason_for(quality: Dict[str, np.ndarray], frame: int) -> str:
    """The parts of a frame's outlier score, in words."""
    parts = [f'outlier score {quality["outlier"][frame]:.2f}:',
             f'min confidence {quality["score_min"][frame]:.2f}',
             f'the least sure quarter of the points {100 * quality["drop"][frame]:.0f} % '
             f'under their usual confidence']
    if quality['jump'][frame] > 0:
        parts.append(f'jump {quality["jump"][frame]:.1f} px from the filtered trajectory')
    if quality['edge_deviation'][frame] > 0:
        parts.append(f'skeleton edge off by {100 * quality["edge_deviation"][frame]:.0f} %')
    if quality['identity'][frame] > 0:
        parts.append(f'identity unsure {quality["identity"][frame]:.2f} (animals close, one '
                     f'missing or a leap)')
    return ' '.join(parts[:1]) + ' ' + ', '.join(parts[1:])


def worst_percentile(quality: Dict[str, np.ndarray]) -> np.ndarray:
    """(T,) per frame, the highest percentile (0-1] it reaches among the video's frames in
    the outlier score, the jump, the confidence drop, the skeleton deviation or the identity
    uncertainty."""
    measures = [quality['outlier'], quality['jump'], quality['drop'],
                quality['edge_deviation'], quality['identity']]
    # a measure that is the same in every frame (no skeleton, one animal) ranks none
    return np.max([rankdata(m) / len(m) if np.ptp(m) > 0 else np.zeros(len(m))
                   for m in measures], axis=0)


def frame_priority(quality: Dict[str, np.ndarray]) -> np.ndarray:
    """(T,) how much labelling a frame is worth (0-1): the mean of its
    :func:`worst_percentile` (its standing in the video) and its ``severity`` (how wrong it
    is in absolute terms), so that among the worst-standing frames a confidently wrong one
    (a point far off its trajectory: severity 1) comes before a merely unsure one."""
    return (worst_percentile(quality) + quality['severity']) / 2


def pick_frames(qualities: Sequence[Dict[str, np.ndarray]], thumbnails: Sequence[np.ndarray],
                candidates: Sequence[np.ndarray], num: int, min_gap: int = 10,
                seed: int = 0) -> List[Pick]:
    """Choose ``num`` frames over one or more videos.

    A frame's priority (:func:`frame_priority`) is its worst standing in any one measure
    (the highest percentile it reaches among its video's frames in the outlier score, the
    jump, the lack of confidence, the skeleton deviation or the identity uncertainty) with
    how wrong it is in absolute terms: a frame confidently far off its trajectory (e.g. a
    picture upside down) comes before a merely unsure one, so a nearby unsure frame never
    takes its place through the minimum gap. The candidates of every video are
    clustered by appearance into ``num`` groups (k-means on their thumbnails, as
    DeepLabCut's frame extraction does); the groups take turns, worst group first, each
    giving its highest-priority frame that lies at least ``min_gap`` frames from every frame
    already chosen in the same video. When the groups run dry, the remaining highest
    priorities fill up the same way.

    Args:
        qualities (Sequence[dict]): Per video, :func:`frame_quality`'s measures.
        thumbnails (Sequence[np.ndarray]): Per video, (C_v, D) thumbnails of its candidates.
        candidates (Sequence[np.ndarray]): Per video, the C_v candidate frame indices.
        num (int): Frames to pick.
        min_gap (int): Least distance, in frames, between two picks of one video.
            Defaults to ``10``.
        seed (int): Seed of the k-means. Defaults to ``0``.

    Returns:
        list[Pick]: At most ``num`` picks (fewer when the videos have too few frames), worst
        first.
    """
    if num < 1:
        raise ValueError(f'num must be >= 1, got {num}')
    pool: List[Tuple[int, int]] = [(v, int(f)) for v, frames in enumerate(candidates)
                                   for f in frames]
    if not pool:
        return []
    priority = [frame_priority(quality) for quality in qualities]
    scores = np.array([priority[v][f] for v, f in pool])
    features = np.concatenate(list(thumbnails)).astype(np.float64)
    features = whiten(features + 1e-6 * np.random.default_rng(seed).random(features.shape))
    groups = min(num, len(pool))
    _, labels = kmeans2(features, groups, minit='++', seed=seed)
    picks: List[Pick] = []

    def far_enough(video: int, frame: int) -> bool:
        return all(p.video != video or abs(p.frame - frame) >= min_gap for p in picks)

    def take(index: int, cluster: int) -> None:
        video, frame = pool[index]
        picks.append(Pick(video, frame, float(qualities[video]['outlier'][frame]), cluster,
                          reason_for(qualities[video], frame)))

    members = {c: sorted(np.flatnonzero(labels == c), key=lambda i: -scores[i])
               for c in range(groups)}
    order = sorted(members, key=lambda c: -max([scores[i] for i in members[c]] or [-1]))
    for cluster in order:
        for index in members[cluster]:
            if far_enough(*pool[index]):
                take(index, cluster)
                break
        if len(picks) == num:
            break
    for index in np.argsort(-scores, kind='stable'):
        if len(picks) == num:
            break
        if far_enough(*pool[index]) and pool[index] not in [(p.video, p.frame) for p in picks]:
            take(int(index), int(labels[index]))
    return sorted(picks, key=lambda p: -priority[p.video][p.frame])
