"""Write every test prediction (with its ground truth) to a JSON file."""
import json
import os
import os.path as osp
from typing import Dict, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmpose.registry import METRICS


@METRICS.register_module()
class KeypointPredictionDump(BaseMetric):
    """Dump predictions to ``out_file``: one record per instance, original-image pixels.

    Each record: ``img_path``, ``id``, ``keypoints`` (K x 2), ``keypoint_scores`` (K),
    ``gt_keypoints`` (K x 2), ``gt_visible`` (K) and ``bbox`` (x1, y1, x2, y2). Adds no
    metric values.

    Args:
        out_file (str): The JSON file to write (its folder is created).
        collect_device (str): As for :class:`mmengine.evaluator.BaseMetric`.
    """

    def __init__(self, out_file: str, collect_device: str = 'cpu'):
        super().__init__(collect_device=collect_device)
        if not out_file.endswith('.json'):
            raise ValueError(f'out_file must end with .json, got {out_file!r}')
        self.out_file = out_file

    def process(self, data_batch: Sequence[dict], data_samples: Sequence[dict]) -> None:
        """Keep one plain record per sample."""
        for sample in data_samples:
            pred, gt = sample['pred_instances'], sample['gt_instances']
            self.results.append(dict(
                img_path=sample.get('img_path'),
                id=int(sample.get('id', -1)),
                keypoints=np.asarray(pred['keypoints'])[0, :, :2].tolist(),
                keypoint_scores=np.asarray(pred['keypoint_scores'])[0].tolist(),
                gt_keypoints=np.asarray(gt['keypoints'])[0, :, :2].tolist(),
                gt_visible=np.asarray(gt['keypoints_visible']).reshape(
                    len(gt['keypoints']), -1)[0].tolist(),
                bbox=np.asarray(gt['bboxes'])[0, :4].tolist(),
            ))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        """Write the records; no metric values."""
        folder = osp.dirname(self.out_file)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(self.out_file, 'w') as file:
            json.dump(results, file)
        return {}
