"""An mmdet detector as the box proposer of top-down pose estimation: a BGR image in, the
boxes of the animals out."""
from typing import Optional, Sequence

import numpy as np

from mmpose.utils import adapt_mmdet_pipeline


class Detector:
    """An mmdet model that returns (N, 4) xyxy boxes of the wanted classes.

    Args:
        config (str): The mmdet config.
        checkpoint (str): Its weights.
        device (str): ``cpu`` or ``cuda:0``, ... Defaults to ``'cpu'``.
        score_thr (float): Keep detections scoring at least this. Defaults to ``0.5``.
        cat_ids (Sequence[int], optional): Keep only these classes. Defaults to all.
    """

    def __init__(self, config: str, checkpoint: str, device: str = 'cpu',
                 score_thr: float = 0.5, cat_ids: Optional[Sequence[int]] = None):
        from mmdet.apis import inference_detector, init_detector
        self._infer = inference_detector
        self.model = init_detector(config, checkpoint, device=device)
        # run mmdet's transforms from the mmdet scope while mmpose's is the default
        self.model.cfg = adapt_mmdet_pipeline(self.model.cfg)
        self.score_thr = score_thr
        self.cat_ids = cat_ids

    def __call__(self, image: np.ndarray) -> np.ndarray:
        pred = self._infer(self.model, image).pred_instances.cpu().numpy()
        keep = pred.scores >= self.score_thr
        if self.cat_ids is not None:
            keep &= np.isin(pred.labels, self.cat_ids)
        return pred.bboxes[keep]
