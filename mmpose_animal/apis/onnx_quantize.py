"""Static int8 quantization of an exported network with onnxruntime, calibrated on real
frames of the dataset."""
import os.path as osp
from typing import Iterable

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from torch import nn

from mmpose.registry import DATASETS
from ..models import CropTopdownPoseEstimator
from ..utils.optional_import import require


# outputs whose layer stays float: with the heatmaps in 8 bits, a several-animal model's
# centre channel grew false peaks (two flies at 1024x1024: MOTA 0.91, IDF1 0.61, 24 identity
# switches against 1.00 / 1.00 / 0 in float; with its last layer float, 1.00 / 1.00 / 0 at
# about the same speed; benchmarks/README.md)
FLOAT_OUTPUTS = {'heatmaps'}


def calibration_inputs(model: nn.Module, cfg: Config, num: int) -> np.ndarray:
    """The first ``num`` training images of ``cfg`` through its test pipeline and the
    model's data preprocessor: (num, 3, H, W) float32 network inputs. For a crop-based
    model, every second image is cropped around its labelled keypoints as the model's
    second pass crops (the network sees both scales).

    Raises:
        ValueError: ``num`` below 1 or above the training set's size.
    """
    pipeline = list(cfg.test_dataloader.dataset.pipeline)
    if isinstance(model, CropTopdownPoseEstimator):
        pipeline.insert(1, dict(type='KeypointBBox', min_size=model.min_size))
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, test_mode=True,
                                  pipeline=cfg.test_dataloader.dataset.pipeline))
    cropped = DATASETS.build(dict(cfg.train_dataloader.dataset, test_mode=True,
                                  pipeline=pipeline))
    if not 1 <= num <= len(dataset):
        raise ValueError(f'calibration needs 1 to {len(dataset)} images (the dataset\'s '
                         f'size), got {num}')
    with torch.no_grad():
        batch = model.data_preprocessor(pseudo_collate(
            [(cropped if i % 2 else dataset)[i] for i in range(num)]))
    return batch['inputs'].float().numpy()


def quantize_int8(onnx_file: str, out_file: str, inputs: Iterable[np.ndarray]) -> str:
    """Write ``onnx_file`` quantized to int8: QDQ format, per-channel int8 weights, uint8
    activations with ranges calibrated (min / max) on ``inputs``; the layer that writes the
    heatmaps stays float (:data:`FLOAT_OUTPUTS`).

    Args:
        onnx_file (str): An fp32 model from ``export_onnx`` (input ``image``).
        out_file (str): The int8 ``.onnx`` file.
        inputs (Iterable[np.ndarray]): Calibration inputs, each (3, H, W) float32, normalized
            as the network expects (see :func:`calibration_inputs`).

    Returns:
        str: ``out_file``.
    """
    quantization = require('onnxruntime.quantization', 'onnx')
    if not osp.isfile(onnx_file):
        raise FileNotFoundError(f'ONNX model {onnx_file} does not exist')

    class Frames(quantization.CalibrationDataReader):
        def __init__(self):
            self.frames = iter(inputs)

        def get_next(self):
            frame = next(self.frames, None)
            return None if frame is None else {'image': frame[None]}

    onnx = require('onnx', 'onnx')
    float_nodes = [node.name for node in onnx.load(onnx_file).graph.node
                   if FLOAT_OUTPUTS & set(node.output)]
    types = quantization.QuantType
    quantization.quantize_static(onnx_file, out_file, Frames(),
                                 quant_format=quantization.QuantFormat.QDQ, per_channel=True,
                                 weight_type=types.QInt8, activation_type=types.QUInt8,
                                 nodes_to_exclude=float_nodes)
    return out_file
