"""Load a trained model strictly and run it on images, folders and videos."""
import os
import os.path as osp
from typing import Iterator, List, Optional, Sequence, Tuple

import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import load_checkpoint
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from mmpose.apis import inference_topdown, init_model

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.m4v', '.webm')


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


def list_inputs(inputs: Sequence[str]) -> List[str]:
    """Expand folders to their images (sorted); keep image and video files as given.

    Raises:
        FileNotFoundError: An input does not exist.
        ValueError: An input is neither an image, a video nor a folder, or a folder holds
            no image.
    """
    paths = []
    for item in inputs:
        if osp.isdir(item):
            images = sorted(osp.join(item, name) for name in os.listdir(item)
                            if name.lower().endswith(IMAGE_EXTENSIONS))
            if not images:
                raise ValueError(f'folder {item} holds no image ({", ".join(IMAGE_EXTENSIONS)})')
            paths.extend(images)
        elif not osp.exists(item):
            raise FileNotFoundError(f'input {item} does not exist')
        elif item.lower().endswith(IMAGE_EXTENSIONS + VIDEO_EXTENSIONS):
            paths.append(item)
        else:
            raise ValueError(f'input {item} is not an image ({", ".join(IMAGE_EXTENSIONS)}), '
                             f'a video ({", ".join(VIDEO_EXTENSIONS)}) or a folder')
    return paths


def is_video(path: str) -> bool:
    """Whether ``path`` names a video file (by extension)."""
    return path.lower().endswith(VIDEO_EXTENSIONS)


def read_video(path: str) -> Tuple[Iterator[np.ndarray], int, Optional[float]]:
    """Open a video: (BGR frame iterator, frame count as reported, frames per second, or
    None when the file does not say)."""
    try:
        reader = mmcv.VideoReader(path)
    except (ValueError, FileNotFoundError) as error:
        raise ValueError(f'video {path} cannot be opened ({error})') from error
    fps = float(reader.fps or 0)
    return iter(reader), reader.frame_cnt, fps if np.isfinite(fps) and fps > 0 else None


def read_image(path: str) -> np.ndarray:
    """Read a BGR image, with an error naming the file when it cannot be decoded."""
    image = mmcv.imread(path, flag='color')
    if image is None:
        raise ValueError(f'image {path} is corrupt or not an image')
    return image


@torch.no_grad()
def predict_keypoints(model: nn.Module, image: np.ndarray,
                      bboxes: Optional[np.ndarray] = None) -> list:
    """Top-down inference on one BGR image; the whole image is the box when none is given.

    Returns:
        list: One ``PoseDataSample`` per box.
    """
    if bboxes is None or len(bboxes) == 0:
        height, width = image.shape[:2]
        bboxes = np.array([[0, 0, width, height]], dtype=np.float32)
    return inference_topdown(model, image, bboxes=bboxes, bbox_format='xyxy')


def to_record(source: str, frame: Optional[int], samples: list) -> dict:
    """One JSON-ready record: the source, the frame index (videos) and every instance."""
    instances = []
    for sample in samples:
        pred = sample.pred_instances
        instances.append(dict(
            bbox=np.asarray(pred.bboxes)[0].round(2).tolist(),
            keypoints=np.asarray(pred.keypoints)[0].round(2).tolist(),
            keypoint_scores=np.asarray(pred.keypoint_scores)[0].round(4).tolist()))
    return dict(source=source, frame=frame, instances=instances)
