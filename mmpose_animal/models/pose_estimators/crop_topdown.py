"""Top-down pose on crops that the model finds itself: a whole-frame pass locates the
animal, a second pass on a crop around it gives the keypoints."""
from typing import Optional

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from torch import Tensor

from mmpose.datasets.transforms import PackPoseInputs, TopdownAffine
from mmpose.models.pose_estimators import TopdownPoseEstimator
from mmpose.registry import MODELS
from mmpose.structures.bbox import bbox_xyxy2cs
from mmpose.utils.typing import SampleList
from ...structures import counted_points, keypoint_bbox
from ..heads.unet_heatmap_head import MERGE_FLIP_UP_TO

ORIGINAL_IMAGE = 'ori_img'
# a keypoint's crop answer stands unless its score is under this share of the whole
# frame's: the coarse pass scores high at a low resolution, so a crop scoring a little less
# is still the more precise one, while a failed crop scores far less
FALLBACK_SHARE = 0.5


@MODELS.register_module()
class CropTopdownPoseEstimator(TopdownPoseEstimator):
    """A ``TopdownPoseEstimator`` that crops around the animal it finds.

    The given box (the whole frame, a box from the previous frame's keypoints, a detector's
    box) is predicted as usual. When the keypoints found there span a small part of that box
    (their padded box is under ``refine_below`` of it: a coarse, whole-frame pass), the
    original image is cropped around them, as in training, and predicted again; that second
    pass gives the keypoints, the first stays in ``pred_instances.coarse_keypoints``, unless
    the second failed (its keypoint score under half the first's): there the first
    pass's answer stays, keypoint by keypoint. For a keypoint the box left out (unsure, or
    far from the rest, such as a tail base beside a stretched body) the crop is not framed
    to see it: its answer there stands only when it scores at least the first's.
    A box that already fits the animal (a detector's, training-like crops) is one pass.

    The crop's box is made of the confident keypoints (at least half the best score) that
    lie together (within ``max_size`` on each axis of the one with the most such
    neighbours; that one is often at an end of the animal, e.g. among the head's points):
    a rarely seen part or a stray point elsewhere in the frame does not stretch it.

    Train it on crops around the animal mixed with whole frames (``KeypointBBox``); its test
    pipeline must keep the loaded image (``KeepOriginalImage`` and ``'ori_img'`` in
    ``PackPoseInputs``' meta keys).

    Args:
        crop (dict): ``padding`` (box padding of ``GetBBoxCenterScale`` in the pipelines,
            default 1.25), ``min_size`` (smallest box side in pixels, default 1),
            ``max_size`` (the largest animal, before padding: a point farther from the
            anchor on an axis is left out of the box; default no limit), ``refine_below``
            (default 0.5) and ``use_udp`` (as ``TopdownAffine``, default False). The input
            size is the head decoder's.
        *args, **kwargs: As for ``TopdownPoseEstimator``.
    """

    def __init__(self, *args, crop: Optional[dict] = None, **kwargs):
        super().__init__(*args, **kwargs)
        crop = dict(crop or {})
        self.padding = float(crop.pop('padding', 1.25))
        self.min_size = float(crop.pop('min_size', 1.0))
        self.max_size = float(crop.pop('max_size', np.inf))
        self.refine_below = float(crop.pop('refine_below', 0.5))
        use_udp = bool(crop.pop('use_udp', False))
        if crop:
            raise ValueError(f'CropTopdownPoseEstimator: unknown crop keys {sorted(crop)} '
                             f'(known: padding, min_size, max_size, refine_below, use_udp)')
        if (self.padding < 1 or not 0 < self.min_size <= self.max_size
                or not 0 < self.refine_below <= 1):
            raise ValueError(f'CropTopdownPoseEstimator: need padding >= 1, 0 < min_size <= '
                             f'max_size and 0 < refine_below <= 1, got {self.padding}, '
                             f'{self.min_size}, {self.max_size}, {self.refine_below}')
        self.input_size = tuple(int(v) for v in self.head.decoder.input_size)
        self._affine = TopdownAffine(input_size=self.input_size, use_udp=use_udp)

    def animal_points(self, keypoints: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """(K,) bool: which of one instance's keypoints ((K, 2), (K,)) the crop's box is
        made of, the confident ones that lie together."""
        keypoints = np.asarray(keypoints, np.float64)
        scores = np.asarray(scores, np.float64)
        counted = np.flatnonzero(counted_points(scores) & np.isfinite(keypoints).all(1))
        boxed = np.zeros(len(keypoints), bool)
        if not len(counted):
            return boxed
        # the confident point with the most confident neighbours within max_size (the surest
        # on a tie) anchors the animal; farther points are left out
        apart = np.abs(keypoints[counted, None] - keypoints[None, counted]).max(-1)
        close = apart <= self.max_size
        anchor = max(range(len(counted)), key=lambda i: (close[i].sum(), scores[counted[i]]))
        boxed[counted[close[anchor]]] = True
        return boxed

    def animal_bbox(self, keypoints: np.ndarray, boxed: np.ndarray) -> Optional[np.ndarray]:
        """(4,) unpadded box of one instance's keypoints (K, 2) that ``boxed`` (K,) marks
        (:meth:`animal_points`), at least ``min_size`` on each side; None when none is."""
        if not boxed.any():
            return None
        return keypoint_bbox(np.asarray(keypoints, np.float64), boxed.astype(np.float64),
                             self.min_size)

    def fill_of(self, bbox: np.ndarray, input_scale: np.ndarray) -> float:
        """How much of an input of scale ``input_scale`` (w, h) the padded ``bbox`` fills,
        along the input's width once both have the input's aspect ratio."""
        aspect = self.input_size[0] / self.input_size[1]
        width, height = (bbox[2:] - bbox[:2]) * self.padding
        return float(max(width, height * aspect) / input_scale[0])

    def predict_in_boxes(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """``TopdownPoseEstimator.predict``; for a frame or two with flip test, the flipped
        images go through the encoder in the same call (faster on a CPU)."""
        if not self.test_cfg.get('flip_test', False) or len(inputs) > MERGE_FLIP_UP_TO:
            return super().predict(inputs, data_samples)
        feats = self.extract_feat(torch.cat([inputs, inputs.flip(-1)]))
        halves = [tuple(f[:len(inputs)] for f in feats), tuple(f[len(inputs):] for f in feats)]
        preds = self.head.predict(halves, data_samples, test_cfg=self.test_cfg)
        instances, fields = preds if isinstance(preds, tuple) else (preds, None)
        return self.add_pred_to_datasample(instances, fields, data_samples)

    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """Predict on the given boxes; crop again where the animal is small in its box."""
        results = self.predict_in_boxes(inputs, data_samples)
        crops, redo = [], []
        for index, sample in enumerate(results):
            if ORIGINAL_IMAGE not in sample.metainfo:
                raise KeyError(f'{type(self).__name__} needs the original image: add '
                               f"KeepOriginalImage to the test pipeline and '{ORIGINAL_IMAGE}' "
                               f"to PackPoseInputs' meta_keys")
            pred = sample.pred_instances
            keypoints = np.asarray(pred.keypoints)[0]
            boxed = self.animal_points(keypoints, np.asarray(pred.keypoint_scores)[0])
            bbox = self.animal_bbox(keypoints, boxed)
            if bbox is not None and self.fill_of(
                    bbox, np.asarray(sample.metainfo['input_scale'])) < self.refine_below:
                crops.append(self._crop(sample, bbox))
                redo.append((index, boxed))
        if crops:
            batch = self.data_preprocessor(pseudo_collate(crops), False)
            refined = self.predict_in_boxes(batch['inputs'], batch['data_samples'])
            for (index, boxed), crop in zip(redo, refined):
                coarse = results[index].pred_instances
                fine = crop.pred_instances
                # per keypoint, the crop's answer unless it failed there: then the whole
                # frame's. A part the box left out must score at least as high in it
                share = np.where(boxed, FALLBACK_SHARE, 1.0)
                failed = fine.keypoint_scores < share * coarse.keypoint_scores
                fine.keypoints = np.where(failed[..., None], coarse.keypoints, fine.keypoints)
                fine.keypoint_scores = np.where(failed, coarse.keypoint_scores,
                                                fine.keypoint_scores)
                fine.coarse_keypoints = coarse.keypoints
                results[index].pred_instances = fine
        for sample in results:  # the frames are not kept with the predictions
            del sample.ori_img
        return results

    def _crop(self, sample, bbox: np.ndarray) -> dict:
        """The packed input of a crop of the sample's original image around ``bbox``."""
        meta = {key: value for key, value in sample.metainfo.items()
                if not key.startswith('input_')}
        center, scale = bbox_xyxy2cs(bbox, self.padding)
        results = self._affine(dict(meta, img=meta[ORIGINAL_IMAGE], bbox=bbox[None],
                                    bbox_center=center[None], bbox_scale=scale[None],
                                    bbox_score=np.ones(1, dtype=np.float32)))
        # the sample's metainfo (its input_* now the crop's), without the image
        pack = PackPoseInputs(meta_keys=tuple(key for key in sample.metainfo
                                              if key != ORIGINAL_IMAGE))
        return pack(results)
