"""ONNX export: heatmap and keypoint parity with PyTorch on real frames, the onnxruntime
backend of infer.py, clear errors for bad model files."""
import glob
import json
import os.path as osp

import numpy as np
import pytest
import torch

from mmpose.apis import inference_topdown
from mmpose_animal.apis import load_pose_model
from mmpose_animal.fileio import read_image
from mmpose_animal.apis.onnx_export import HeatmapNetwork, OrtHeatmapNetwork, use_onnxruntime
from ..test_fileio.label_sources import SHARED_DLC
from .conftest import run_tool

REAL_FRAMES = sorted(glob.glob(osp.join(SHARED_DLC, 'labeled-data', 'm4s1', 'img00[0-4]*.png')))


@pytest.fixture(scope='module')
def exported(trained_run, tmp_path_factory):
    config, work_dir = trained_run
    checkpoint = osp.join(work_dir, 'epoch_2.pth')
    onnx_file = str(tmp_path_factory.mktemp('onnx') / 'model.onnx')
    run_tool('tools/export_onnx.py', config, checkpoint, '--out', onnx_file, '--dynamic-batch')
    return config, checkpoint, onnx_file


@pytest.mark.skipif(not REAL_FRAMES, reason='../shared/data/dlc-openfield is not here')
def test_heatmaps_and_keypoints_match_pytorch_on_real_frames(exported):
    config, checkpoint, onnx_file = exported
    torch_model = load_pose_model(config, checkpoint)
    ort_model = use_onnxruntime(load_pose_model(config, checkpoint), onnx_file)
    network, ort_network = HeatmapNetwork(torch_model).eval(), OrtHeatmapNetwork(onnx_file)
    for path in REAL_FRAMES:
        image = read_image(path)
        box = np.array([[0, 0, image.shape[1], image.shape[0]]], np.float32)
        (want,) = inference_topdown(torch_model, image, bboxes=box)
        (got,) = inference_topdown(ort_model, image, bboxes=box)
        np.testing.assert_allclose(got.pred_instances.keypoints, want.pred_instances.keypoints,
                                   atol=0.05)
        # the network alone, on a 64x64 crop of the real frame (the tiny model's input size)
        crop = torch.from_numpy(image[200:264, 0:64].transpose(2, 0, 1).copy()).float()[None]
        crop = (crop - 110.0) / 58.0
        with torch.no_grad():
            np.testing.assert_allclose(ort_network(crop).numpy(), network(crop).numpy(),
                                       atol=1e-4)


def test_infer_with_onnxruntime_gives_the_torch_records(exported, fly17_root, tmp_path):
    config, checkpoint, onnx_file = exported
    images = osp.join(fly17_root, 'images')
    for backend in ('torch', 'onnxruntime'):
        run_tool('tools/infer.py', config, checkpoint, images, '--out-dir',
                 str(tmp_path / backend), '--no-overlay', '--backend', backend,
                 '--onnx', onnx_file)
    torch_records, ort_records = ([json.loads(line) for line in open(
        tmp_path / backend / 'images.predictions.jsonl')] for backend in ('torch', 'onnxruntime'))
    assert len(torch_records) == len(ort_records) == 40
    for want, got in zip(torch_records, ort_records):
        assert got['source'] == want['source']
        np.testing.assert_allclose(got['instances'][0]['keypoints'],
                                   want['instances'][0]['keypoints'], atol=0.05)


def test_missing_or_corrupt_onnx_file_is_a_clear_error(exported, fly17_root, tmp_path):
    config, checkpoint, _ = exported
    image = sorted(glob.glob(osp.join(fly17_root, 'images', '*.png')))[0]
    corrupt = tmp_path / 'bad.onnx'
    corrupt.write_bytes(b'not a model')
    for model, message in ((str(tmp_path / 'none.onnx'), 'none.onnx does not exist'),
                           (str(corrupt), 'bad.onnx is corrupt or not an ONNX model')):
        result = run_tool('tools/infer.py', config, checkpoint, image, '--backend',
                          'onnxruntime', '--onnx', model, '--out-dir', str(tmp_path / 'o'),
                          check=False)
        assert result.returncode != 0 and message in result.stderr, result.stderr[-1500:]


def test_int8_quantization_is_calibrated_and_close_to_fp32(trained_run, fly17_root, tmp_path):
    import onnx
    config, work_dir = trained_run
    checkpoint = osp.join(work_dir, 'epoch_2.pth')
    out = str(tmp_path / 'model.onnx')
    result = run_tool('tools/export_onnx.py', config, checkpoint, '--out', out,
                      '--dynamic-batch', '--int8-calibration', '8')
    assert 'model_int8.onnx: int8 (QDQ, per-channel weights), calibrated on 8 images' in \
        result.stdout
    int8 = str(tmp_path / 'model_int8.onnx')
    assert any(n.op_type == 'QuantizeLinear' for n in onnx.load(int8).graph.node)
    torch_model = load_pose_model(config, checkpoint)
    from mmpose_animal.apis.onnx_quantize import calibration_inputs
    inputs = torch.from_numpy(calibration_inputs(torch_model, torch_model.cfg, 4))
    fp32, quantized = (OrtHeatmapNetwork(f)(inputs).numpy() for f in (out, int8))
    assert np.corrcoef(fp32.ravel(), quantized.ravel())[0, 1] > 0.95

    too_many = run_tool('tools/export_onnx.py', config, checkpoint, '--out', out,
                        '--int8-calibration', '1000', check=False)
    assert too_many.returncode != 0 and 'calibration needs 1 to 32 images' in too_many.stderr
