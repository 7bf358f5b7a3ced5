"""Export a pose model's network (image -> heatmaps) to ONNX, and run it with onnxruntime.

Keypoint decoding stays in Python (the head's codec), so an onnxruntime model gives the same
records as the PyTorch one through mmpose's own pipeline and decoding.
"""
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor, nn

from ..utils.optional_import import require

OPSET = 17


class HeatmapNetwork(nn.Module):
    """The network part of a top-down pose estimator: normalized image -> heatmaps.

    Note:
        - Input: (B, 3, H, W), normalized as the model's data preprocessor does.
        - Output: (B, K, h, w) heatmaps.
    """

    def __init__(self, model: nn.Module):
        super().__init__()
        self.backbone, self.neck, self.head = model.backbone, getattr(model, 'neck', None), \
            model.head

    def forward(self, image: Tensor) -> Tensor:
        feats = self.backbone(image)
        if self.neck is not None:
            feats = self.neck(feats)
        return self.head(feats)


def export_onnx(model: nn.Module, out_file: str, input_size: Tuple[int, int],
                dynamic_batch: bool = False) -> str:
    """Write the network of ``model`` (eval mode: BN folded into the convs) to ``out_file``.

    Uses ``torch.onnx.export(..., dynamo=False)`` (the TorchScript exporter) at opset
    :data:`OPSET`, input ``image`` (B, 3, H, W) and output ``heatmaps``.

    Args:
        model (nn.Module): A ``TopdownPoseEstimator``.
        out_file (str): The ``.onnx`` file.
        input_size (Tuple[int, int]): (W, H) of the network input.
        dynamic_batch (bool): Let the batch size vary. Defaults to ``False`` (batch 1).
    """
    require('onnx', 'onnx')  # torch's exporter writes the file through it
    network = HeatmapNetwork(model).eval()
    width, height = input_size
    axes = dict(image={0: 'batch'}, heatmaps={0: 'batch'}) if dynamic_batch else None
    with torch.no_grad():
        torch.onnx.export(network, (torch.zeros(1, 3, height, width),), out_file,
                          dynamo=False, opset_version=OPSET, input_names=['image'],
                          output_names=['heatmaps'], dynamic_axes=axes)
    return out_file


class OrtHeatmapNetwork(nn.Module):
    """An exported network run by onnxruntime, usable in place of the torch network."""

    def __init__(self, onnx_file: str, threads: Optional[int] = None):
        super().__init__()
        onnxruntime = require('onnxruntime', 'onnx')
        if not osp.isfile(onnx_file):
            raise FileNotFoundError(f'ONNX model {onnx_file} does not exist')
        options = onnxruntime.SessionOptions()
        # idle threads sleep instead of spinning: spinning threads took the cores from the
        # Python work between calls when following an animal frame by frame (benchmarks)
        options.add_session_config_entry('session.intra_op.allow_spinning', '0')
        if threads:
            options.intra_op_num_threads = threads
        try:
            self.session = onnxruntime.InferenceSession(
                onnx_file, options, providers=['CPUExecutionProvider'])
        except Exception as error:  # onnxruntime raises its own types for bad files
            raise ValueError(f'ONNX model {onnx_file} is corrupt or not an ONNX model '
                             f'({error})') from error

    def forward(self, image: Tensor) -> Tensor:
        images = image.detach().cpu().numpy()
        fixed_batch = self.session.get_inputs()[0].shape[0]
        if isinstance(fixed_batch, int) and fixed_batch != len(images):  # exported for batch 1
            chunks = [images[i:i + fixed_batch] for i in range(0, len(images), fixed_batch)]
        else:
            chunks = [images]
        heatmaps = [self.session.run(['heatmaps'], {'image': chunk})[0] for chunk in chunks]
        return torch.from_numpy(np.ascontiguousarray(np.concatenate(heatmaps)))


def use_onnxruntime(model: nn.Module, onnx_file: str) -> nn.Module:
    """Make ``model`` compute its heatmaps with onnxruntime: the backbone passes the image
    through and the head's network is the exported one; pipeline, flip test and decoding
    stay mmpose's.

    Returns:
        nn.Module: ``model`` itself.
    """
    network = OrtHeatmapNetwork(onnx_file)
    model.backbone = PassThrough()
    model.neck = None
    model.head.forward = lambda feats: network(feats[0])
    return model


class PassThrough(nn.Module):
    """A backbone that hands the image on as its only feature."""

    def forward(self, image: Tensor) -> Sequence[Tensor]:
        return (image,)
