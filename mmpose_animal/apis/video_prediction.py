"""Predict a video or an image folder into a :class:`PoseSequence`, frames streamed: only the
keypoint arrays stay in memory, never the frames."""
import os.path as osp
import warnings
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from torch import nn

from ..fileio.media import is_video, read_image, read_video
from ..structures import PoseSequence, output_stem, stack_instances
from .batched_inference import predict_batches
from .crop_tracking import is_crop_model, track_frames
from .inference import predict_keypoints

Detector = Callable[[np.ndarray], np.ndarray]  # BGR image -> (N, 4) xyxy boxes
Progress = Optional[Callable[[Iterable, Optional[int], str], Iterable]]


@dataclass
class SequenceInput:
    """One video, or the images of one folder, to predict as a sequence.

    Args:
        source (str): The video, or the images' folder.
        is_video (bool): Whether ``source`` is a video.
        image_paths (List[str]): The folder's images, in order.
    """

    source: str
    is_video: bool
    image_paths: List[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """Output file stem: the video's name, or the folder's."""
        return output_stem(self.source, self.is_video)


def group_inputs(paths: Sequence[str]) -> List[SequenceInput]:
    """One sequence per video and per folder of images (in the order of ``paths``)."""
    inputs: List[SequenceInput] = []
    folders = {}
    for path in paths:
        if is_video(path):
            inputs.append(SequenceInput(path, True))
            continue
        folder = osp.dirname(osp.abspath(path))
        if folder not in folders:
            folders[folder] = SequenceInput(folder, False)
            inputs.append(folders[folder])
        folders[folder].image_paths.append(path)
    return inputs


def read_frames(item: SequenceInput) -> Tuple[Iterator[np.ndarray], int, Optional[float]]:
    """(BGR frames, their number as reported, frames per second or None)."""
    if item.is_video:
        return read_video(item.source)
    return (read_image(p) for p in item.image_paths), len(item.image_paths), None


def instances_of(samples: list) -> List[Tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(keypoints (K, 2), scores (K,), box (4,)) of each ``PoseDataSample`` of a frame."""
    return [(np.asarray(s.pred_instances.keypoints)[0],
             np.asarray(s.pred_instances.keypoint_scores)[0],
             np.asarray(s.pred_instances.bboxes)[0]) for s in samples]


def dataset_names(dataset_meta: dict) -> Tuple[List[str], List[Tuple[int, int]],
                                               List[Tuple[int, int]]]:
    """(Keypoint names, skeleton links, flip pairs) of a model's ``dataset_meta``."""
    id2name = dataset_meta['keypoint_id2name']
    names = [id2name[k] for k in range(dataset_meta['num_keypoints'])]
    links = [tuple(int(i) for i in link) for link in dataset_meta.get('skeleton_links', [])]
    flip = dataset_meta.get('flip_indices', list(range(len(names))))
    pairs = sorted({(min(k, int(f)), max(k, int(f))) for k, f in enumerate(flip) if f != k})
    return names, links, pairs


def predict_sequence(model: nn.Module, item: SequenceInput, batch_size: int = 8,
                     detector: Optional[Detector] = None,
                     progress: Progress = None) -> PoseSequence:
    """Top-down predictions of every frame of ``item``.

    Without a detector the whole frame is the box and frames go through the network in
    batches (``predict_batches``; a crop-based model finds the animal in each); the frames
    of a video and a crop-based model go one at a time in the box of the previous frame's
    keypoints (``track_frames``); with a detector, its boxes are the instances, one frame at
    a time. A video that ends before its reported frame count (a truncated file) is padded
    with missing frames, with a warning naming it.

    Args:
        model (nn.Module): A loaded pose model (``load_pose_model``).
        item (SequenceInput): The video or image folder.
        batch_size (int): Frames per network call. Defaults to ``8``.
        detector (Callable, optional): BGR image -> (N, 4) xyxy boxes.
        progress (Callable, optional): ``progress(iterable, total, name)`` wraps the frame
            loop, e.g. a tqdm.

    Returns:
        PoseSequence: (T, N, K) predictions, N the most instances of a frame.
    """
    images, count, fps = read_frames(item)
    frame_size = None

    def sized(frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        nonlocal frame_size
        for frame in frames:
            if frame_size is None:
                frame_size = (int(frame.shape[1]), int(frame.shape[0]))
            yield frame

    located: List[bool] = []

    def tracked(frames: Iterable[np.ndarray]) -> Iterator[Tuple[np.ndarray, list]]:
        for frame, samples, was_located in track_frames(model, frames):
            located.append(was_located)
            yield frame, samples

    if detector is None and item.is_video and is_crop_model(model):
        predictions = tracked(sized(images))
    elif detector is None:
        predictions = predict_batches(model, sized(images), batch_size)
    else:
        predictions = ((image, predict_keypoints(model, image, detector(image)))
                       for image in sized(images))
    if progress is not None:
        predictions = progress(predictions, count or None, osp.basename(item.source))
    frames = [instances_of(samples) for _, samples in predictions]
    if item.is_video and len(frames) < count:
        warnings.warn(f'{item.source}: the video ended after {len(frames)} of its {count} '
                      f'frames; the rest are missing')
        frames += [[] for _ in range(count - len(frames))]
    names, links, pairs = dataset_names(model.dataset_meta)
    keypoints, scores, boxes = stack_instances(frames, len(names))
    return PoseSequence(item.source, item.is_video, keypoints, scores, boxes, names, links,
                        pairs, fps=fps, frame_size=frame_size,
                        image_paths=list(item.image_paths),
                        located=np.array(located + [False] * (len(frames) - len(located)))
                        if located else None)
