"""Keypoint distance in original-image pixels, as an mmpose metric."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmpose.registry import METRICS
from ..functional import (box_diagonals, keypoint_distances, per_keypoint_mean,
                          summarize_distances)


@METRICS.register_module()
class KeypointDistanceMetric(BaseMetric):
    """Euclidean distance between predicted and true keypoints, in original-image pixels.

    Over visible keypoints it reports ``min``, ``mean``, ``median``, ``p95``, ``max`` and
    ``std`` (the pet-nose table), ``mean_norm`` (distance divided by the instance box
    diagonal, averaged) and ``mean_<keypoint name>`` for every keypoint. Keys carry the
    prefix ``dist/`` (e.g. ``dist/mean``).

    Args:
        collect_device (str): ``'cpu'`` or ``'gpu'``, for collecting results across ranks.
            Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to ``'dist'``.
    """

    default_prefix: Optional[str] = 'dist'

    def process(self, data_batch: Sequence[dict], data_samples: Sequence[dict]) -> None:
        """Keep, per sample, the (1, K, 2) predictions and truths, the mask and the box."""
        for sample in data_samples:
            gt = sample['gt_instances']
            mask = np.asarray(gt['keypoints_visible']).astype(bool)
            self.results.append(dict(
                pred=np.asarray(sample['pred_instances']['keypoints'])[:1, :, :2],
                gt=np.asarray(gt['keypoints'])[:1, :, :2],
                mask=mask.reshape(mask.shape[0], -1)[:1],
                bbox=np.asarray(gt['bboxes'])[:1, :4],
            ))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Summarize the distances of every visible keypoint."""
        distances = keypoint_distances(
            np.concatenate([r['pred'] for r in results]),
            np.concatenate([r['gt'] for r in results]),
            np.concatenate([r['mask'] for r in results]))
        metrics = summarize_distances(distances)
        diagonals = box_diagonals(np.concatenate([r['bbox'] for r in results]))
        metrics['mean_norm'] = float(np.nanmean(distances / diagonals[:, None]))
        names = (self.dataset_meta or {}).get('keypoint_id2name', {})
        for k, value in enumerate(per_keypoint_mean(distances)):
            metrics[f'mean_{names.get(k, k)}'] = float(value)
        return metrics
