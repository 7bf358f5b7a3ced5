"""What every label importer produces: keypoint names, skeleton, and labelled frames."""
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple, Union

import numpy as np

# An image on disk (path), or a function that returns its pixels (frames embedded in a .slp or
# an .h5, frames of a video): (H, W) or (H, W, C) uint8, RGB or gray.
ImageSource = Union[str, Callable[[], np.ndarray]]


@dataclass
class LabelledFrame:
    """One image and the animals labelled on it.

    Args:
        image (str | Callable): The image file, or a loader of its pixels.
        name (str): Relative path the image gets in the imported dataset
            (``<group>/<file>``), unique within the set.
        group (str): The video or session the frame comes from (``--split-by video``).
        where (str): Where the labels come from, for error messages (file and row/frame).
        instances (np.ndarray): (N, K, 2) x, y in image pixels; NaN marks an unlabelled
            point.
        tracks (List[Optional[str]], optional): The identity of each instance (a SLEAP
            track, a DeepLabCut individual), ``None`` for one without; ``None`` when the
            source names none.
    """

    image: ImageSource
    name: str
    group: str
    where: str
    instances: np.ndarray
    tracks: Optional[List[Optional[str]]] = None


@dataclass
class LabelSet:
    """Labels read from one source, in the source's keypoint order.

    Args:
        source (str): The file or folder read.
        keypoint_names (List[str]): K unique names, in source order.
        frames (List[LabelledFrame]): The labelled frames.
        links (List[Tuple[int, int]]): Skeleton links as keypoint index pairs.
        flip_pairs (List[Tuple[int, int]], optional): Left/right pairs the source declares
            (SLEAP symmetries, DeepPoseKit swap indices); ``None`` when it declares none.
        notes (List[str]): Things the reader left out or changed, to show the user.
    """

    source: str
    keypoint_names: List[str]
    frames: List[LabelledFrame]
    links: List[Tuple[int, int]] = field(default_factory=list)
    flip_pairs: Optional[List[Tuple[int, int]]] = None
    notes: List[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_unique_names(self.keypoint_names, self.source)
        for frame in self.frames:
            if frame.instances.ndim != 3 or frame.instances.shape[1:] != (
                    len(self.keypoint_names), 2):
                raise ValueError(f'{frame.where}: labels have shape {frame.instances.shape}, '
                                 f'expected (N, {len(self.keypoint_names)}, 2)')
            if frame.tracks is not None and len(frame.tracks) != len(frame.instances):
                raise ValueError(f'{frame.where}: {len(frame.tracks)} track names for '
                                 f'{len(frame.instances)} instances')

    @property
    def track_names(self) -> List[str]:
        """The identities the frames name, in order of first appearance."""
        return list(dict.fromkeys(track for frame in self.frames for track in frame.tracks or ()
                                  if track is not None))


def check_unique_names(names: Sequence[str], source: str) -> None:
    """Refuse empty or duplicated keypoint names (the message names ``source`` and them)."""
    if not names:
        raise ValueError(f'{source}: no keypoint names')
    seen, duplicated = set(), []
    for name in names:
        if name in seen and name not in duplicated:
            duplicated.append(name)
        seen.add(name)
    if duplicated:
        raise ValueError(f'{source}: duplicate keypoint names {duplicated}; every keypoint '
                         f'needs its own name')
