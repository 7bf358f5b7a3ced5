"""Predict a video or an image folder into a :class:`PoseSequence`, frames streamed: only the
keypoint arrays stay in memory, never the frames."""
import itertools
import os.path as osp
import warnings
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from torch import nn

from ..fileio.media import is_video, read_image, read_video
from ..structures import PoseSequence, output_stem, stack_instances
from .batched_inference import predict_batches
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


def read_frames(item: SequenceInput, start: int = 0
                ) -> Tuple[Iterator[np.ndarray], int, Optional[float]]:
    """(BGR frames from frame ``start`` on, the number of all frames as reported, frames per
    second or None)."""
    if item.is_video:
        return read_video(item.source, start)
    return ((read_image(p) for p in item.image_paths[start:]), len(item.image_paths), None)


INSTANCE_FIELDS = ('keypoints', 'keypoint_scores', 'bboxes')


def instances_of(samples: list, fields: Sequence[str] = INSTANCE_FIELDS
                 ) -> List[Tuple[np.ndarray, ...]]:
    """The ``fields`` (keypoints (K, 2), scores (K,), box (4,), ...) of each instance of a
    frame's ``PoseDataSample`` s (one per box, or one with every animal a model found)."""
    return [tuple(np.asarray(s.pred_instances.get(name))[n] for name in fields)
            for s in samples for n in range(len(s.pred_instances.keypoints))]


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
                     detector: Optional[Detector] = None, progress: Progress = None
                     ) -> PoseSequence:
    """Top-down predictions of every frame of ``item``, each frame on its own.

    Without a detector the whole frame is the box and frames go through the network in
    batches (``predict_batches``): a crop-based model finds the animal in each frame, a
    several-animal model every animal; with a detector, its boxes are the instances, one
    frame at a time. No frame's points depend on another frame. A video that ends before
    its reported frame count (a truncated file) is padded with missing frames, with a
    warning naming it.

    Args:
        model (nn.Module): A loaded pose model (``load_pose_model``).
        item (SequenceInput): The video or image folder.
        batch_size (int): Frames per network call. Defaults to ``8``.
        detector (Callable, optional): BGR image -> (N, 4) xyxy boxes.
        progress (Callable, optional): ``progress(iterable, total, name)`` wraps the frame
            loop, e.g. a tqdm.

    Returns:
        PoseSequence: (T, N, K) predictions, N the most instances of a frame.

    Raises:
        ValueError: The input cannot be read, or not one frame of it decodes.
    """
    (sequence,) = predict_chunks(model, item, batch_size, detector, progress)
    return sequence


def predict_chunks(model: nn.Module, item: SequenceInput, batch_size: int = 8,
                   detector: Optional[Detector] = None, progress: Progress = None,
                   start: int = 0, chunk_frames: Optional[int] = None
                   ) -> Iterator[PoseSequence]:
    """:func:`predict_sequence` from frame ``start`` to the end, in one pass over the input,
    as consecutive sequences of ``chunk_frames`` frames (the last one shorter), each given
    as soon as it is predicted; one sequence of them all without ``chunk_frames``.

    Raises:
        ValueError: The input cannot be read, or not one frame of it decodes.
    """
    images, count, fps = read_frames(item, start)
    count = max(0, count - start)
    images = itertools.islice(images, count)
    frame_size = None

    def sized(frames: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        nonlocal frame_size
        for frame in frames:
            if frame_size is None:
                frame_size = (int(frame.shape[1]), int(frame.shape[0]))
            yield frame

    if detector is None:
        predictions = predict_batches(model, sized(images), batch_size)
    else:
        predictions = ((image, predict_keypoints(model, image, detector(image)))
                       for image in sized(images))
    if progress is not None:
        predictions = progress(predictions, count or None, osp.basename(item.source))
    most = getattr(model, 'num_animals', None)
    identities = getattr(model, 'num_identities', 0)
    fields = INSTANCE_FIELDS + (('identity_scores',) if identities else ())
    names, links, pairs = dataset_names(model.dataset_meta)
    shapes = [(len(names), 2), (len(names),), (4,)] + ([(identities,)] if identities else [])

    def sequence(frames: list, first: int) -> PoseSequence:
        keypoints, scores, boxes, *identity = stack_instances(frames, shapes)
        return PoseSequence(item.source, item.is_video, keypoints, scores, boxes, names, links,
                            pairs, fps=fps, frame_size=frame_size,
                            image_paths=list(item.image_paths[first:first + len(frames)]),
                            identity_scores=identity[0] if identity else None)

    frames, first, decoded, crowded = [], start, 0, 0
    for _, samples in predictions:
        frames.append(instances_of(samples, fields))
        decoded += 1
        crowded += most is not None and samples[0].metainfo.get('found_animals', 0) > most
        if len(frames) == chunk_frames:
            yield sequence(frames, first)
            frames, first = [], first + len(frames)
    if crowded:
        warnings.warn(f'{item.source}: {crowded} frames show more than {most} animals, the '
                      f'most the model finds (the most of a labelled frame); label frames with '
                      f'all of them, or write the config with make_config.py --num-animals')
    if item.is_video and start == 0 and count and not decoded:
        raise ValueError(f'{item.source}: not one of its {count} frames could be decoded '
                         f'(a truncated or corrupt file)')
    if item.is_video and decoded < count:
        warnings.warn(f'{item.source}: the video ended after frame {start + decoded} of '
                      f'the {start + count} it reports; the rest are missing')
        for _ in range(count - decoded):
            frames.append([])
            if len(frames) == chunk_frames:
                yield sequence(frames, first)
                frames, first = [], first + len(frames)
    if frames or first == start:
        yield sequence(frames, first)
