"""A video's (or an image folder's) predictions as arrays: frames x instances x keypoints."""
import os.path as osp
from dataclasses import dataclass, field, replace
from typing import List, Optional, Sequence, Tuple

import numpy as np


@dataclass
class PoseSequence:
    """Predictions of one video, or of the images of one folder (one frame per image, in
    sorted order). Missing values (no instance, a point cut or not yet filled) are NaN.

    Args:
        source (str): The video file, or the folder of the images.
        is_video (bool): Whether ``source`` is a video.
        keypoints (np.ndarray): (T, N, K, 2) x, y in frame pixels.
        scores (np.ndarray): (T, N, K) keypoint confidences.
        boxes (np.ndarray): (T, N, 4) x1, y1, x2, y2 of each instance's box.
        keypoint_names (List[str]): The K names.
        links (List[Tuple[int, int]]): Skeleton edges (keypoint indices).
        flip_pairs (List[Tuple[int, int]]): Left / right partners.
        fps (float, optional): Frames per second of a video.
        frame_size (Tuple[int, int], optional): (W, H) of the frames (of the first frame
            for folders of mixed sizes).
        image_paths (List[str]): For image folders, the image of each frame.
        track_names (List[str]): The name of each of the N instances once identities are
            followed (``female``, ``male``; empty: ``ind1``, ``ind2``, ...).
        identity_scores (np.ndarray, optional): (T, N, C) each instance's probability of
            being each of C identities the labels named (a several-animal model's appearance
            classifier).
        name (str, optional): The stem of its output files, when not the source's name
            (two videos of one name in an experiment).

    Note:
        Memory is the arrays only: a one-hour 30 frames/s video of one animal with 17
        keypoints is 108,000 x 1 x 17 x 3 floats (22 MB), whatever the frame size.
    """

    source: str
    is_video: bool
    keypoints: np.ndarray
    scores: np.ndarray
    boxes: np.ndarray
    keypoint_names: List[str]
    links: List[Tuple[int, int]] = field(default_factory=list)
    flip_pairs: List[Tuple[int, int]] = field(default_factory=list)
    fps: Optional[float] = None
    frame_size: Optional[Tuple[int, int]] = None
    image_paths: List[str] = field(default_factory=list)
    track_names: List[str] = field(default_factory=list)
    identity_scores: Optional[np.ndarray] = None
    name: Optional[str] = None

    def __post_init__(self):
        num_frames, num_instances, num_keypoints = self.scores.shape
        expected = {'keypoints': (num_frames, num_instances, num_keypoints, 2),
                    'boxes': (num_frames, num_instances, 4)}
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(f'{self.source}: {name} has shape '
                                 f'{getattr(self, name).shape}, expected {shape} (from scores '
                                 f'{self.scores.shape})')
        if len(self.keypoint_names) != num_keypoints:
            raise ValueError(f'{self.source}: {len(self.keypoint_names)} keypoint names for '
                             f'{num_keypoints} keypoints')
        if (self.identity_scores is not None
                and self.identity_scores.shape[:2] != (num_frames, num_instances)):
            raise ValueError(f'{self.source}: identity_scores has shape '
                             f'{self.identity_scores.shape}, expected ({num_frames}, '
                             f'{num_instances}, C)')
        if self.track_names and len(self.track_names) != num_instances:
            raise ValueError(f'{self.source}: {len(self.track_names)} track names for '
                             f'{num_instances} instances')

    @property
    def num_frames(self) -> int:
        """T, the number of frames."""
        return self.scores.shape[0]

    @property
    def num_instances(self) -> int:
        """N, instances per frame (frames with fewer are NaN-padded)."""
        return self.scores.shape[1]

    @property
    def instance_names(self) -> List[str]:
        """The N instances' names: the track names, or ``ind1``, ``ind2``, ..."""
        return list(self.track_names) or [f'ind{n + 1}' for n in range(self.num_instances)]

    @property
    def stem(self) -> str:
        """Output file stem: its ``name``, or the video's name, or the folder's."""
        return self.name or output_stem(self.source, self.is_video)

    def frame_label(self, frame: int) -> str:
        """How a frame is named in records and tables: its image path, or its index."""
        return osp.abspath(self.image_paths[frame]) if not self.is_video else str(frame)

    def with_points(self, keypoints: np.ndarray, scores: Optional[np.ndarray] = None
                    ) -> 'PoseSequence':
        """A copy with other keypoints (and scores); the rest is shared."""
        return replace(self, keypoints=keypoints,
                       scores=self.scores.copy() if scores is None else scores)


def output_stem(source: str, is_video: bool) -> str:
    """Output file stem of a source: the video's name without extension, or the folder's."""
    name = osp.basename(source.rstrip('/')) or 'images'
    return osp.splitext(name)[0] if is_video else name


def stack_instances(frames: Sequence[Sequence[Tuple[np.ndarray, ...]]],
                    shapes: Sequence[Tuple[int, ...]]) -> Tuple[np.ndarray, ...]:
    """Pad per-frame instance lists into arrays.

    Args:
        frames (Sequence): Per frame, its instances, each a tuple of arrays (e.g.
            keypoints (K, 2), scores (K,), box (4,)).
        shapes (Sequence[Tuple[int, ...]]): The shape of each array of an instance (for
            sequences without any instance).

    Returns:
        tuple: One (T, N, *shape) float32 array per field; N is the most instances of any
        frame (at least 1), missing ones NaN.
    """
    num = max([len(instances) for instances in frames] + [1])
    arrays = tuple(np.full((len(frames), num) + tuple(shape), np.nan, np.float32)
                   for shape in shapes)
    for t, instances in enumerate(frames):
        for n, fields in enumerate(instances):
            for array, value in zip(arrays, fields):
                array[t, n] = value
    return arrays


def concatenate_sequences(parts: Sequence[PoseSequence]) -> PoseSequence:
    """Consecutive parts of one sequence (e.g. a video predicted in chunks) as one, with as
    many instances as the most of a part (the others NaN-padded); the rest is the first
    part's."""
    most = max(part.num_instances for part in parts)

    def padded(array: np.ndarray) -> np.ndarray:
        pad = np.full((array.shape[0], most - array.shape[1]) + array.shape[2:], np.nan,
                      array.dtype)
        return np.concatenate([array, pad], axis=1)
    arrays = {name: np.concatenate([padded(getattr(part, name)) for part in parts])
              for name in ('keypoints', 'scores', 'boxes', 'identity_scores')
              if getattr(parts[0], name) is not None}
    return replace(parts[0], **arrays,
                   image_paths=[path for part in parts for path in part.image_paths])
