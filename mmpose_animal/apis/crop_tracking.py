"""Follow the animal through a video with a crop-based model: each frame's box holds the
keypoints where they were last seen; the whole frame (the model's coarse stage, then a crop)
is searched on the first frame, when the animal is lost and when a keypoint stays unseen."""
from typing import Iterable, Iterator, Optional, Tuple

import numpy as np
import torch
from mmengine.dataset import Compose, pseudo_collate
from torch import nn

from ..structures import counted_points, whole_image_bbox
from .batched_inference import pipeline_input, read_ahead
from ..models.pose_estimators import CropTopdownPoseEstimator

LOST_BELOW = 0.3  # mean keypoint confidence under which the tracked crop has lost the animal
FORGET_AFTER = 30  # frames a keypoint may stay unseen before the whole frame is searched


def is_crop_model(model: nn.Module) -> bool:
    """Whether ``model`` finds the animal itself (a :class:`CropTopdownPoseEstimator`)."""
    return isinstance(model, CropTopdownPoseEstimator)


def predict_in_box(model: nn.Module, pipeline: Compose, image: np.ndarray,
                   bbox: np.ndarray):
    """One ``PoseDataSample`` of ``image`` (BGR) in the box ``bbox`` ((1, 4) xyxy)."""
    with torch.no_grad():
        return model.test_step(pseudo_collate([pipeline_input(model, pipeline, image,
                                                              bbox)]))[0]


class KeypointMemory:
    """Where each keypoint of the followed animal was last seen (scoring at least half the
    frame's best), and for how many frames since.

    Args:
        lost_below (float): A frame whose mean keypoint confidence is under this lost the
            animal.
        forget_after (int): A keypoint unseen for more frames than this loses the animal.
    """

    def __init__(self, lost_below: float = LOST_BELOW, forget_after: int = FORGET_AFTER):
        self.lost_below, self.forget_after = lost_below, forget_after
        self.places: Optional[np.ndarray] = None  # (K, 2), NaN until first seen
        self.unseen: Optional[np.ndarray] = None  # (K,) frames since last seen

    def forget(self) -> None:
        """Start again (the animal was searched on the whole frame)."""
        self.places = self.unseen = None

    def update(self, points: np.ndarray, scores: np.ndarray) -> bool:
        """Remember one frame's (K, 2) ``points`` and (K,) ``scores``; whether the animal is
        still followed (False: lost, or a keypoint unseen for too long)."""
        seen = counted_points(scores)
        if self.places is None:  # nowhere yet: leaves the box until seen
            self.places = np.full_like(points, np.nan)
            self.unseen = np.zeros(len(points), int)
        self.places[seen], self.unseen[seen] = points[seen], 0
        self.unseen[~seen] += 1
        return not (scores.mean() < self.lost_below or (self.unseen > self.forget_after).any())


def track_frames(model: nn.Module, frames: Iterable[np.ndarray],
                 lost_below: float = LOST_BELOW, forget_after: int = FORGET_AFTER
                 ) -> Iterator[Tuple[np.ndarray, list, bool]]:
    """Predict every frame in the box of the previous frames' keypoints (each where it was
    last seen with confidence, :class:`KeypointMemory`).

    Args:
        model (nn.Module): A loaded :class:`CropTopdownPoseEstimator`.
        frames (Iterable[np.ndarray]): BGR frames in order (a video reader).
        lost_below (float): When the tracked crop's mean keypoint confidence is under this,
            the frame is predicted again from the whole frame. Defaults to ``0.3``.
        forget_after (int): A keypoint unseen (under half the best confidence) for more
            frames than this sends the next frame to the whole frame. Defaults to ``30``.

    Yields:
        Tuple[np.ndarray, list, bool]: Each frame, its one ``PoseDataSample`` in a list (as
        ``predict_keypoints`` returns) and whether the coarse stage ran on it (first frame,
        animal lost, a keypoint unseen for longer than ``forget_after``).

    Raises:
        TypeError: ``model`` is not crop-based.
    """
    if not is_crop_model(model):
        raise TypeError(f'track_frames needs a CropTopdownPoseEstimator, got '
                        f'{type(model).__name__}')
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    memory = KeypointMemory(lost_below, forget_after)
    previous: Optional[np.ndarray] = None
    for frame in read_ahead(frames):  # decoding overlaps the network
        sample = None
        if previous is not None:
            sample = predict_in_box(model, pipeline, frame, previous[None])
            if np.mean(sample.pred_instances.keypoint_scores) < lost_below:
                sample = None
        located = sample is None
        if located:
            height, width = frame.shape[:2]
            sample = predict_in_box(model, pipeline, frame, whole_image_bbox(width, height))
            memory.forget()
        points = np.asarray(sample.pred_instances.keypoints)[0]
        scores = np.asarray(sample.pred_instances.keypoint_scores)[0]
        # the next crop holds every point where it was last seen, so a part the crop cut
        # off comes back; a part unseen for long, or a lost animal, sends it to the whole
        # frame
        followed = memory.update(points, scores)
        previous = model.animal_bbox(memory.places, np.ones(len(points))) if followed \
            else None
        yield frame, [sample], located
