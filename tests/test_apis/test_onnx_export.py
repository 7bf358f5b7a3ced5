"""A several-animal model with identities through onnxruntime: the same animals, keypoints
and identity scores as in PyTorch; its int8 copy keeps the heatmap layer float."""
import numpy as np
import onnx
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate

from mmpose.apis import init_model
from mmpose_animal.apis.onnx_export import HeatmapNetwork, export_onnx, use_onnxruntime
from mmpose_animal.apis.onnx_quantize import quantize_int8
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.data_tools.synthetic_fly import synthetic_fly_pairs
from mmpose_animal.fileio.labels import write_dataset


@pytest.fixture(scope='module')
def pair_model(tmp_path_factory):
    """An untrained several-animal model with two identities, its ONNX file and a frame."""
    folder = tmp_path_factory.mktemp('pairs_onnx')
    labels = synthetic_fly_pairs(4)
    write_dataset(labels, str(folder / 'data'), ratios=(0.5, 0.25, 0.25))
    path = folder / 'pairs.py'
    path.write_text(make_config(str(folder / 'data'), str(path), max_epochs=1))
    cfg = Config.fromfile(str(path))
    torch.manual_seed(0)
    model = init_model(cfg, device='cpu')
    assert model.num_identities == 2
    onnx_file = export_onnx(model, str(folder / 'pairs.onnx'), model.head.decoder.input_size,
                            dynamic_batch=True)
    gray = labels.frames[0].image()
    return cfg, model, onnx_file, np.dstack([gray] * 3)


def predict(model, cfg, image: np.ndarray):
    data = dict(img=image, bbox=np.array([[0, 0, image.shape[1], image.shape[0]]], np.float32),
                bbox_score=np.ones(1, np.float32), **model.dataset_meta)
    with torch.no_grad():
        (sample,) = model.test_step(pseudo_collate([Compose(cfg.test_dataloader.dataset
                                                            .pipeline)(data)]))
    return sample.pred_instances


def test_every_animal_and_its_identity_scores_match_pytorch(pair_model):
    cfg, model, onnx_file, image = pair_model
    assert [o.name for o in onnx.load(onnx_file).graph.output] == ['heatmaps', 'features']
    model.centre_thr = 1e-6  # an untrained centre channel: see every peak
    want = predict(model, cfg, image)
    exported = use_onnxruntime(init_model(cfg, device='cpu'), onnx_file)
    exported.load_state_dict(model.state_dict(), strict=False)  # the identity classifier
    exported.centre_thr, exported.dataset_meta = 1e-6, model.dataset_meta
    got = predict(exported, cfg, image)
    assert want.keypoints.shape == got.keypoints.shape == (2, 17, 2)
    np.testing.assert_allclose(got.bboxes, want.bboxes, atol=1e-3)
    # an untrained (flat) heatmap magnifies float differences: a tenth of a pixel
    np.testing.assert_allclose(got.keypoints, want.keypoints, atol=0.1)
    np.testing.assert_allclose(got.identity_scores, want.identity_scores, atol=1e-4)
    assert got.identity_scores.shape == (2, 2)


def test_a_file_without_the_features_is_refused_for_a_model_with_identities(pair_model,
                                                                               tmp_path):
    cfg, model, _, _ = pair_model
    heatmaps_only = str(tmp_path / 'heatmaps_only.onnx')
    network = HeatmapNetwork(model).eval()
    network.pooled_features = False  # as exported before identities were
    with torch.no_grad():
        torch.onnx.export(network, (torch.zeros(1, 3, 64, 64),), heatmaps_only, dynamo=False,
                          input_names=['image'], output_names=['heatmaps'])
    with pytest.raises(ValueError, match='heatmaps_only.onnx has no features output'):
        use_onnxruntime(init_model(cfg, device='cpu'), heatmaps_only)


def test_int8_keeps_the_layer_that_writes_the_heatmaps_float(pair_model, tmp_path):
    _, model, onnx_file, _ = pair_model
    width, height = model.head.decoder.input_size
    inputs = np.random.default_rng(0).normal(size=(4, 3, height, width)).astype(np.float32)
    graph = onnx.load(quantize_int8(onnx_file, str(tmp_path / 'int8.onnx'), inputs)).graph
    producers = {output: node for node in graph.node for output in node.output}
    (last,) = [node for node in graph.node if 'heatmaps' in node.output]
    assert last.op_type == 'Conv'
    weight = producers.get(last.input[1])  # a float initializer, not dequantized int8
    assert weight is None or weight.op_type != 'DequantizeLinear'
    quantized = [node for node in graph.node if node.op_type == 'DequantizeLinear']
    assert len(quantized) > 10  # the rest is int8
