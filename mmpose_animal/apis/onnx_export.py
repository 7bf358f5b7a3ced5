"""Export a pose model's network (image -> heatmaps) to ONNX, and run it with onnxruntime.

Keypoint decoding stays in Python (the head's codec), so an onnxruntime model gives the same
records as the PyTorch one through mmpose's own pipeline and decoding.
"""
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import Tensor, nn

from ..utils.optional_import import require

OPSET = 17


class HeatmapNetwork(nn.Module):
    """The network part of a top-down pose estimator: normalized image -> heatmaps, and for
    a model that tells animals apart by appearance (``num_identities``), the pooled deepest
    features its identity classifier reads.

    Note:
        - Input: (B, 3, H, W), normalized as the model's data preprocessor does.
        - Output: (B, K, h, w) heatmaps; with identities also (B, C) pooled features.
    """

    def __init__(self, model: nn.Module):
        super().__init__()
        self.backbone, self.neck, self.head = model.backbone, getattr(model, 'neck', None), \
            model.head
        self.pooled_features = bool(getattr(model, 'num_identities', 0))

    @property
    def output_names(self) -> List[str]:
        return ['heatmaps', 'features'] if self.pooled_features else ['heatmaps']

    def forward(self, image: Tensor) -> Union[Tensor, Tuple[Tensor, Tensor]]:
        feats = self.backbone(image)
        if self.neck is not None:
            feats = self.neck(feats)
        heatmaps = self.head(feats)
        return (heatmaps, feats[-1].mean((2, 3))) if self.pooled_features else heatmaps


def export_onnx(model: nn.Module, out_file: str, input_size: Tuple[int, int],
                dynamic_batch: bool = False) -> str:
    """Write the network of ``model`` (eval mode: BN folded into the convs) to ``out_file``.

    Uses ``torch.onnx.export(..., dynamo=False)`` (the TorchScript exporter) at opset
    :data:`OPSET`, input ``image`` (B, 3, H, W) and output ``heatmaps`` (and ``features``
    for a model with identities: see :class:`HeatmapNetwork`).

    Args:
        model (nn.Module): A ``TopdownPoseEstimator``.
        out_file (str): The ``.onnx`` file.
        input_size (Tuple[int, int]): (W, H) of the network input.
        dynamic_batch (bool): Let the batch size vary. Defaults to ``False`` (batch 1).
    """
    require('onnx', 'onnx')  # torch's exporter writes the file through it
    network = HeatmapNetwork(model).eval()
    width, height = input_size
    names = network.output_names
    axes = {name: {0: 'batch'} for name in ['image', *names]} if dynamic_batch else None
    with torch.no_grad():
        torch.onnx.export(network, (torch.zeros(1, 3, height, width),), out_file,
                          dynamo=False, opset_version=OPSET, input_names=['image'],
                          output_names=names, dynamic_axes=axes)
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
        self.output_names = [output.name for output in self.session.get_outputs()]

    def run(self, image: Tensor) -> List[Tensor]:
        """All the network's outputs (heatmaps first) for a batch of images."""
        images = image.detach().cpu().numpy()
        fixed_batch = self.session.get_inputs()[0].shape[0]
        if isinstance(fixed_batch, int) and fixed_batch != len(images):  # exported for batch 1
            chunks = [images[i:i + fixed_batch] for i in range(0, len(images), fixed_batch)]
        else:
            chunks = [images]
        outputs = [self.session.run(self.output_names, {'image': chunk}) for chunk in chunks]
        return [torch.from_numpy(np.ascontiguousarray(np.concatenate(parts)))
                for parts in zip(*outputs)]

    def forward(self, image: Tensor) -> Tensor:
        return self.run(image)[0]


def use_onnxruntime(model: nn.Module, onnx_file: str) -> nn.Module:
    """Make ``model`` compute its heatmaps with onnxruntime: the exported network takes the
    backbone's place (its outputs are the features) and the head hands the heatmaps on;
    pipeline, flip test, decoding and an identity classifier stay mmpose's and ours.

    Returns:
        nn.Module: ``model`` itself.

    Raises:
        ValueError: The model tells animals apart but ``onnx_file`` has no ``features``
            output (exported before identities were: export it again).
    """
    network = OrtHeatmapNetwork(onnx_file)
    if getattr(model, 'num_identities', 0) and 'features' not in network.output_names:
        raise ValueError(f'ONNX model {onnx_file} has no features output for the model\'s '
                         f'identity classifier: export it again with tools/export_onnx.py')
    model.backbone = ExportedNetwork(network)
    model.neck = None
    model.head.forward = lambda feats: feats[0]
    return model


class ExportedNetwork(nn.Module):
    """An exported network as a backbone: its outputs, heatmaps first, then the pooled
    features as (B, C, 1, 1) maps (their mean is the features again)."""

    def __init__(self, network: OrtHeatmapNetwork):
        super().__init__()
        self.network = network

    def forward(self, image: Tensor) -> Sequence[Tensor]:
        heatmaps, *pooled = self.network.run(image)
        return (heatmaps, *(features[:, :, None, None] for features in pooled))
