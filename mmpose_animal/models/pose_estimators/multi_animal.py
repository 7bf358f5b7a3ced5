"""Several animals in one frame, found by the model itself: the whole-frame pass marks every
animal's centre (one more heatmap channel), a crop around each centre gives that animal's
keypoints (SLEAP's centroid + centred-instance idea, in one network)."""
from typing import List, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dataset import pseudo_collate
from mmengine.structures import InstanceData
from torch import Tensor, nn

from mmpose.registry import MODELS
from mmpose.utils.typing import SampleList
from .crop_topdown import ORIGINAL_IMAGE, CropTopdownPoseEstimator


@MODELS.register_module()
class MultiAnimalPoseEstimator(CropTopdownPoseEstimator):
    """Find up to ``num_animals`` animals and their keypoints in each frame.

    The head has K + 1 channels: the K keypoints of the animal at the centre of the input,
    and the centres of all animals (trained by ``AnimalCentreTarget``). On a frame (the
    whole frame as its box) the centre channel's peaks are the animals: the strongest
    ``num_animals`` local maxima scoring at least ``centre_thr``, at least half the
    animal's usual size apart. Each animal is then cropped (``crop.min_size``, the usual
    size, padded as in training) and predicted; the K keypoints of that crop are its
    keypoints. Each frame's ``pred_instances`` hold one instance per animal found, with
    ``bbox_scores`` its centre score; ``found_animals`` in the sample's metainfo counts the
    peaks above the threshold (more than ``num_animals`` means animals were left out).

    Evaluated on labelled animals (a sample whose ``gt_instances`` hold keypoints, one
    labelled animal per sample), the sample keeps the animal found nearest its labels: each
    labelled animal is scored against the animal matched to it, as detection benchmarks
    match detections to labels.

    With ``num_identities`` (labels that name each animal the same throughout, such as
    SLEAP tracks ``female`` / ``male``), a linear classifier of the crops' deepest encoder
    features (pooled, not trained back into the encoder: the keypoints are not disturbed)
    learns who is who by appearance, as SLEAP's multi-class models do; each found animal
    then carries ``identity_scores``, its probability of being each labelled identity.

    Args:
        num_animals (int): Most animals per frame. Defaults to ``2``.
        centre_thr (float): Least centre score of an animal. Defaults to ``0.2``.
        num_identities (int): Identities the labels name (0: none learned). Defaults to
            ``0``.
        *args, **kwargs: As for :class:`CropTopdownPoseEstimator` (``crop`` must give the
            usual animal size as ``min_size``).
    """

    def __init__(self, *args, num_animals: int = 2, centre_thr: float = 0.2,
                 num_identities: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.num_identities = num_identities
        if num_identities:
            self.identity_head = nn.Linear(self.head.in_channels[-1], num_identities)
        if not isinstance(num_animals, int) or num_animals < 1 or not 0 < centre_thr < 1:
            raise ValueError(f'MultiAnimalPoseEstimator: need num_animals >= 1 and 0 < '
                             f'centre_thr < 1, got {num_animals!r}, {centre_thr}')
        if self.test_cfg.get('flip_test', False):
            raise ValueError('MultiAnimalPoseEstimator: flip test is not supported (the '
                             'centre channel has no flip partner); set test_cfg.flip_test=False')
        self.num_animals, self.centre_thr = num_animals, centre_thr
        self.num_keypoints = self.head.out_channels - 1
        # the crops' outputs are the K keypoints; the last channel is the centres'
        self.test_cfg['output_keypoint_indices'] = list(range(self.num_keypoints))

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """The head's losses, and with identities the classifier's cross-entropy on the
        crops of named animals (``loss_identity``, ``acc_identity``)."""
        feats = self.extract_feat(inputs)
        losses = self.head.loss(feats, data_samples, train_cfg=self.train_cfg)
        if self.num_identities:
            logits = self.identity_head(feats[-1].detach().mean((2, 3)))
            targets = torch.tensor([-1 if s.metainfo.get('whole_image_box', False)
                                    else s.metainfo.get('track_id', -1) for s in data_samples],
                                   device=logits.device)
            named = targets >= 0
            losses['loss_identity'] = (F.cross_entropy(logits[named], targets[named])
                                       if named.any() else logits.sum() * 0)
            losses['acc_identity'] = ((logits[named].argmax(1) == targets[named]).float().mean()
                                      if named.any() else logits.sum() * 0)
        return losses

    def predict_crops(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """One pass on the animals' crops: their keypoints, and their identity scores."""
        feats = self.extract_feat(inputs)
        preds = self.head.predict(feats, data_samples, test_cfg=self.test_cfg)
        instances, fields = preds if isinstance(preds, tuple) else (preds, None)
        results = self.add_pred_to_datasample(instances, fields, data_samples)
        if self.num_identities:
            scores = F.softmax(self.identity_head(feats[-1].mean((2, 3))), 1).cpu().numpy()
            for result, score in zip(results, scores):
                result.pred_instances.identity_scores = score[None]
        return results

    def find_centres(self, heatmap: Tensor, sample) -> Tuple[np.ndarray, np.ndarray, int]:
        """(N, 2) image-pixel centres and (N,) scores of the animals in one frame's centre
        heatmap ((h, w)), strongest first, and the count of peaks above the threshold."""
        height, width = heatmap.shape
        input_size = np.array(self.input_size, np.float64)
        # peaks: local maxima over a window of half the animal's usual size
        scale = np.asarray(sample.metainfo['input_scale'], np.float64)
        radius = max(1, int(0.25 * self.min_size / scale[0] * width))
        pooled = F.max_pool2d(heatmap[None, None], 2 * radius + 1, 1, radius)[0, 0]
        peaks = torch.nonzero((heatmap == pooled) & (heatmap >= self.centre_thr))
        scores = heatmap[peaks[:, 0], peaks[:, 1]].cpu().numpy()
        order = np.argsort(-scores, kind='stable')
        found = len(order)
        order = order[:self.num_animals]
        hm = heatmap.cpu().numpy()
        centres = []
        for y, x in peaks[order].cpu().numpy():
            y0, y1, x0, x1 = max(y - 1, 0), min(y + 2, height), max(x - 1, 0), min(x + 2, width)
            patch = np.clip(hm[y0:y1, x0:x1], 0, None)
            ys, xs = np.mgrid[y0:y1, x0:x1]
            centres.append([(patch * xs).sum() / patch.sum(), (patch * ys).sum() / patch.sum()])
        centres = np.array(centres, np.float64).reshape(-1, 2)
        if self.head.decoder.__class__.__name__ == 'UDPHeatmap':
            in_input = centres / [width - 1, height - 1] * input_size
        else:
            in_input = centres * input_size / [width, height]
        centre = np.asarray(sample.metainfo['input_center'], np.float64)
        in_image = in_input / input_size * scale + centre - 0.5 * scale
        return in_image, scores[order], found

    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """Find the animals of each frame, then predict each in its crop."""
        for sample in data_samples:
            if ORIGINAL_IMAGE not in sample.metainfo:
                raise KeyError(f'{type(self).__name__} needs the original image: add '
                               f"KeepOriginalImage to the test pipeline and '{ORIGINAL_IMAGE}' "
                               f"to PackPoseInputs' meta_keys")
        with torch.no_grad():
            centre_maps = self.head.forward(self.extract_feat(inputs))[:, -1]
        crops, owners, scores = [], [], []
        half = self.min_size / 2
        for index, (sample, heatmap) in enumerate(zip(data_samples, centre_maps)):
            centres, centre_scores, found = self.find_centres(heatmap, sample)
            sample.set_metainfo(dict(found_animals=found))
            for centre, score in zip(centres, centre_scores):
                box = np.concatenate([centre - half, centre + half]).astype(np.float32)
                crops.append(self._crop(sample, box))
                owners.append(index)
                scores.append(score)
        animals: List[List[InstanceData]] = [[] for _ in data_samples]
        if crops:
            batch = self.data_preprocessor(pseudo_collate(crops), False)
            for owner, score, crop in zip(owners, scores, self.predict_crops(
                    batch['inputs'], batch['data_samples'])):
                instance = crop.pred_instances
                instance.bbox_scores = np.array([score], np.float32)
                animals[owner].append(instance)
        for sample, found in zip(data_samples, animals):
            sample.pred_instances = self._frame_instances(sample, found)
            del sample.ori_img  # the frames are not kept with the predictions
        return data_samples

    def _frame_instances(self, sample, animals: List[InstanceData]) -> InstanceData:
        """The animals of one frame as one InstanceData (N instances); on a labelled animal,
        only the animal found nearest it."""
        labels = sample.get('gt_instances', InstanceData()).get('keypoints')
        evaluating = labels is not None and len(labels) > 0
        if not animals:
            # none found: nothing, or for a labelled animal a guess that scores 0 and sits
            # in the middle of the box (scored as the miss it is)
            count, centre = int(evaluating), np.asarray(sample.gt_instances.bboxes)[:1]
            middle = ((centre[:, :2] + centre[:, 2:]) / 2)[:, None] if evaluating else 0
            nothing = InstanceData(
                keypoints=np.zeros((count, self.num_keypoints, 2), np.float32) + middle,
                keypoint_scores=np.zeros((count, self.num_keypoints), np.float32),
                keypoints_visible=np.zeros((count, self.num_keypoints), np.float32),
                bboxes=np.asarray(centre[:count], np.float32).reshape(count, 4),
                bbox_scores=np.zeros(count, np.float32))
            if self.num_identities:
                nothing.identity_scores = np.full((count, self.num_identities),
                                                  1 / self.num_identities, np.float32)
            return nothing
        fields = ('keypoints', 'keypoint_scores', 'keypoints_visible', 'bboxes', 'bbox_scores')
        fields += ('identity_scores',) if self.num_identities else ()
        merged = InstanceData(**{field: np.concatenate([np.asarray(a.get(field))
                                                        for a in animals]) for field in fields})
        if not evaluating:
            return merged
        visible = np.asarray(sample.gt_instances.keypoints_visible)[0] > 0
        if not visible.any():
            return merged[:1]
        distance = np.nanmean(np.linalg.norm(merged.keypoints[:, visible]
                                             - np.asarray(labels)[0, visible], axis=-1), 1)
        return merged[int(np.argmin(distance)):int(np.argmin(distance)) + 1]
