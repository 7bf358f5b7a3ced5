"""Keypoint distance in original-image pixels, as an mmpose metric."""
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmpose.registry import METRICS
from ...postprocessing.sequence_steps import CONFIDENCE_CUT
from ..functional import (box_diagonals, keypoint_distances, per_keypoint_mean,
                          summarize_distances)


@METRICS.register_module()
class KeypointDistanceMetric(BaseMetric):
    """Euclidean distance between predicted and true keypoints, in original-image pixels.

    Over visible keypoints it reports ``min``, ``mean``, ``median``, ``p95``, ``max`` and
    ``std`` (the pet-nose table), ``mean_norm`` (distance divided by the instance box
    diagonal, averaged) and ``mean_<keypoint name>`` for every keypoint. As DeepLabCut's
    "test error with p-cutoff", ``mean_pcutoff`` and ``max_pcutoff`` are the mean and
    largest distance of the points scoring at least ``score_cut`` (the points a video's
    ``ConfidenceCut`` keeps: a confident point far off shows in the max) and ``cut_share``
    the share of visible points under it. Keys carry the prefix ``dist/`` (e.g.
    ``dist/mean``).

    Args:
        score_cut (float): The confidence cut, in [0, 1). Defaults to the video
            post-processing's ``ConfidenceCut`` (``CONFIDENCE_CUT``, 0.3).
        collect_device (str): ``'cpu'`` or ``'gpu'``, for collecting results across ranks.
            Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to ``'dist'``.
    """

    default_prefix: Optional[str] = 'dist'

    def __init__(self, score_cut: float = CONFIDENCE_CUT, collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 <= score_cut < 1:
            raise ValueError(f'score_cut must be in [0, 1), got {score_cut!r}')
        self.score_cut = score_cut

    def process(self, data_batch: Sequence[dict], data_samples: Sequence[dict]) -> None:
        """Keep, per sample, the (1, K, 2) predictions and truths, the (1, K) scores and
        mask, and the box."""
        for sample in data_samples:
            gt = sample['gt_instances']
            mask = np.asarray(gt['keypoints_visible']).astype(bool)
            self.results.append(dict(
                pred=np.asarray(sample['pred_instances']['keypoints'])[:1, :, :2],
                scores=np.asarray(sample['pred_instances']['keypoint_scores'])[:1],
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
        scores = np.concatenate([r['scores'] for r in results])
        visible = ~np.isnan(distances)
        kept = distances[visible & (scores >= self.score_cut)]
        metrics['mean_pcutoff'] = float(kept.mean()) if kept.size else float('nan')
        metrics['max_pcutoff'] = float(kept.max()) if kept.size else float('nan')
        metrics['cut_share'] = 1.0 - kept.size / visible.sum()
        names = (self.dataset_meta or {}).get('keypoint_id2name', {})
        for k, value in enumerate(per_keypoint_mean(distances)):
            metrics[f'mean_{names.get(k, k)}'] = float(value)
        return metrics
