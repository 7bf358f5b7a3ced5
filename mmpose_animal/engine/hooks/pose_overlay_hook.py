"""Save overlays of prediction vs ground truth (with heatmaps) during testing."""
import os
import os.path as osp
from typing import Optional, Sequence

import mmcv
import numpy as np
from mmengine.structures import PixelData
from mmengine.hooks import Hook
from mmengine.visualization import Visualizer
from mmpose.registry import HOOKS
from mmpose.structures import PoseDataSample
from mmpose.structures.utils import revert_heatmap


def heatmaps_on_image(sample: PoseDataSample) -> PoseDataSample:
    """``sample`` with its (K, h, w) predicted heatmaps warped from the model input onto the
    original image, (K, H, W), as ``mmpose.structures.merge_data_samples`` does; one channel
    at a time, since OpenCV drops the channel axis of a 1-channel map (K=1, pet noses)."""
    if 'heatmaps' not in sample.get('pred_fields', {}):
        return sample
    heatmaps = np.asarray(sample.pred_fields.heatmaps.detach().cpu()
                          if hasattr(sample.pred_fields.heatmaps, 'detach')
                          else sample.pred_fields.heatmaps)
    reverted = np.stack([revert_heatmap(heatmap, sample.input_center, sample.input_scale,
                                        sample.ori_shape) for heatmap in heatmaps])
    on_image = sample.clone()
    on_image.pred_fields = PixelData(heatmaps=reverted)
    return on_image


@HOOKS.register_module()
class PoseOverlayHook(Hook):
    """Write, per test image, ground truth and prediction side by side, heatmap below.

    The model must output heatmaps (``model.test_cfg.output_heatmaps=True``) for the
    heatmap row; ``tools/test.py --show-dir`` sets it.

    Args:
        out_dir (str): Folder of the PNG files (created).
        interval (int): Draw every ``interval``-th test batch. Defaults to ``1``.
        max_images (int, optional): Stop after this many images. Defaults to ``None``.
        kpt_thr (float): Score below which a predicted keypoint is not drawn.
            Defaults to ``0.0``.
    """

    priority = 'NORMAL'

    def __init__(self, out_dir: str, interval: int = 1, max_images: Optional[int] = None,
                 kpt_thr: float = 0.0):
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.out_dir = out_dir
        self.interval = interval
        self.max_images = max_images
        self.kpt_thr = kpt_thr
        self.num_written = 0

    def after_test_iter(self, runner, batch_idx: int, data_batch: dict = None,
                        outputs: Sequence = ()) -> None:
        """Draw the batch's samples, if this batch is one to draw."""
        if batch_idx % self.interval:
            return
        visualizer = Visualizer.get_current_instance()
        visualizer.set_dataset_meta(runner.test_evaluator.dataset_meta)
        os.makedirs(self.out_dir, exist_ok=True)
        for sample in outputs:
            if self.max_images is not None and self.num_written >= self.max_images:
                return
            img_path = sample.img_path
            image = mmcv.imread(img_path, channel_order='rgb')
            name = osp.splitext(osp.basename(img_path))[0]
            visualizer.add_datasample(
                name, image, data_sample=heatmaps_on_image(sample), draw_gt=True,
                draw_pred=True,
                draw_heatmap='heatmaps' in sample.get('pred_fields', {}), draw_bbox=True,
                show=False, kpt_thr=self.kpt_thr,
                out_file=osp.join(self.out_dir, f'{name}.png'))
            self.num_written += 1
