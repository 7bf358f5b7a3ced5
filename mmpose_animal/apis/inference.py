"""Load a trained model strictly and run it on one image."""
import os.path as osp
from typing import Optional

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import load_checkpoint
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from mmpose.apis import inference_topdown, init_model
from ..structures import whole_image_bbox


def load_pose_model(config: str, checkpoint: str, device: str = 'cpu') -> nn.Module:
    """Build the config's model and load ``checkpoint`` into it strictly.

    Unlike ``mmpose.apis.init_model`` with a checkpoint, a checkpoint that does not fit the
    model is an error, not a warning. ``dataset_meta`` comes from the checkpoint.

    Raises:
        FileNotFoundError | CheckpointLoadError: A missing, corrupt or unsafe checkpoint.
        RuntimeError: The checkpoint's weights do not fit the model (keys or shapes).
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
    model = init_model(cfg, checkpoint=None, device='cpu')
    checkpoint_dict = load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
    dataset_meta = checkpoint_dict.get('meta', {}).get('dataset_meta')
    if dataset_meta:
        model.dataset_meta = dataset_meta
    return model.to(device).eval()


def fuse_for_inference(model: nn.Module) -> nn.Module:
    """Fold every eval-mode ``nn.BatchNorm2d`` into the ``nn.Conv2d`` registered just before
    it in the same parent (mmcv's ``fuse_conv_bn`` rule: ConvModule, ResNet blocks, our UNet)
    and store the weights channels-last: the usual CPU inference speed-up, same outputs.

    Only exact ``nn.BatchNorm2d`` layers fold; subclasses that do more (timm's
    ``BatchNormAct2d`` also activates) are left as they are.

    Returns:
        nn.Module: ``model``, changed in place (call on a model in eval mode).
    """
    def fold(module: nn.Module) -> None:
        previous_name, previous = None, None
        for name, child in list(module.named_children()):
            if (type(child) is nn.BatchNorm2d and isinstance(previous, nn.Conv2d)
                    and child.track_running_stats):
                setattr(module, previous_name, fuse_conv_bn_eval(previous, child))
                setattr(module, name, nn.Identity())
                previous_name, previous = None, None
                continue
            fold(child)
            previous_name, previous = name, child
    fold(model)
    return model.to(memory_format=torch.channels_last)


@torch.no_grad()
def predict_keypoints(model: nn.Module, image: np.ndarray,
                      bboxes: Optional[np.ndarray] = None) -> list:
    """Top-down inference on one BGR image; the whole image is the box when none is given.

    Returns:
        list: One ``PoseDataSample`` per box.
    """
    if bboxes is None or len(bboxes) == 0:
        bboxes = whole_image_bbox(image.shape[1], image.shape[0])
    return inference_topdown(model, image, bboxes=bboxes, bbox_format='xyxy')
