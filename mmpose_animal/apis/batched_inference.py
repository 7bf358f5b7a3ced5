"""Throughput inference over many frames: decoding and the model's test pipeline run in a
background thread, the network sees batches, and results come back in frame order."""
import itertools
import queue
import threading
from typing import Iterable, Iterator, Optional, Tuple

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate
from torch import nn

from ..structures import whole_image_bbox


def read_ahead(items: Iterable, size: int = 16) -> Iterator:
    """``items`` (e.g. decoded and preprocessed frames) produced by a background thread, up
    to ``size`` ahead of the consumer; an error of the producer is raised in the consumer."""
    done, ready, stop = object(), queue.Queue(maxsize=size), threading.Event()

    def produce():
        try:
            for item in items:
                if stop.is_set():
                    return
                ready.put(item)
            ready.put(done)
        except BaseException as error:  # handed to the consumer, which raises it
            ready.put(error)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                ready.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


def pipeline_input(model: nn.Module, pipeline: Compose, image: np.ndarray,
                   bbox: Optional[np.ndarray] = None) -> dict:
    """``image`` (BGR) through the model's test pipeline in ``bbox`` ((1, 4) xyxy; the
    whole image by default), as ``mmpose.apis.inference_topdown`` prepares it."""
    if bbox is None:
        bbox = whole_image_bbox(image.shape[1], image.shape[0])
    return pipeline(dict(img=image, bbox=bbox.astype(np.float32),
                         bbox_score=np.ones(1, dtype=np.float32), **model.dataset_meta))


def _prepared(model: nn.Module,
              frames: Iterable[np.ndarray]) -> Iterator[Tuple[np.ndarray, dict]]:
    """Each frame with its test-pipeline output, the whole frame as the box."""
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    for frame in frames:
        yield frame, pipeline_input(model, pipeline, frame)


def predict_batches(model: nn.Module, frames: Iterable[np.ndarray], batch_size: int = 8,
                    prefetch: int = 4) -> Iterator[Tuple[np.ndarray, list]]:
    """Top-down inference on every frame (whole-frame box), in batches.

    Frames are read (decoded) and preprocessed in a background thread while the network
    runs on the previous batch; the records equal ``predict_keypoints(model, frame)``'s.

    Args:
        model (nn.Module): A loaded ``TopdownPoseEstimator`` (see ``load_pose_model``).
        frames (Iterable[np.ndarray]): BGR (H, W, 3) frames, any size; e.g. a video reader.
        batch_size (int): Frames per network call. Defaults to ``8``.
        prefetch (int): Batches prepared ahead. Defaults to ``4``.

    Yields:
        Tuple[np.ndarray, list]: Each frame, in input order, with its one ``PoseDataSample``
        in a list (as ``predict_keypoints`` returns).

    Raises:
        ValueError: ``batch_size`` or ``prefetch`` below 1. Errors of the reader or the
            pipeline (a corrupt frame, ...) are raised here, in the caller's thread.
    """
    if batch_size < 1 or prefetch < 1:
        raise ValueError(f'batch_size and prefetch must be >= 1, got {batch_size}, {prefetch}')
    prepared = read_ahead(_prepared(model, frames), batch_size * prefetch)
    while batch := list(itertools.islice(prepared, batch_size)):
        with torch.no_grad():
            samples = model.test_step(pseudo_collate([data for _, data in batch]))
        for (frame, _), sample in zip(batch, samples):
            yield frame, [sample]
