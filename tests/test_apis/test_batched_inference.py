import itertools
import os.path as osp
import threading

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmpose.apis import init_model

from mmpose_animal.apis import fuse_for_inference, predict_batches, predict_keypoints
from mmpose_animal.fileio import read_video
from ..test_fileio.label_sources import SHARED_DLC

VIDEO = osp.join(SHARED_DLC, 'videos', 'm3v1mp4.mp4')


def _frames(count: int, seed: int = 0) -> list:
    """Random BGR frames of three different sizes."""
    rng = np.random.default_rng(seed)
    sizes = [(48, 64), (90, 150), (64, 64)]
    return [rng.integers(0, 255, sizes[i % 3] + (3,), np.uint8) for i in range(count)]


def _keypoints(samples: list) -> np.ndarray:
    (sample,) = samples
    return np.asarray(sample.pred_instances.keypoints)


def test_batches_keep_order_and_count_and_equal_one_frame_inference(model):
    frames = _frames(13)
    results = list(predict_batches(model, iter(frames), batch_size=4))
    assert len(results) == 13
    for frame, (out_frame, samples) in zip(frames, results):
        assert out_frame is frame
        np.testing.assert_allclose(_keypoints(samples), _keypoints(predict_keypoints(model, frame)),
                                   atol=1e-3)
        np.testing.assert_allclose(samples[0].pred_instances.bboxes,
                                   [[0, 0, frame.shape[1], frame.shape[0]]])


@pytest.mark.skipif(not osp.isfile(VIDEO), reason='../shared/data/dlc-openfield is not here')
def test_real_video_frames_as_one_frame_inference_and_an_early_stop(model):
    first = list(itertools.islice(read_video(VIDEO)[0], 20))
    threads = threading.active_count()
    results = predict_batches(model, read_video(VIDEO)[0], batch_size=8)
    for frame, (out_frame, samples) in zip(first, results):
        np.testing.assert_array_equal(out_frame, frame)
        np.testing.assert_allclose(_keypoints(samples), _keypoints(predict_keypoints(model, frame)),
                                   atol=1e-3)
    results.close()  # the caller stops early (2,330 frames left): the reader thread ends
    assert threading.active_count() == threads


def test_a_reader_error_reaches_the_caller(model):
    def frames():
        yield from _frames(5)
        raise ValueError('frame 5 of clip.mp4 is corrupt')
    results = predict_batches(model, frames(), batch_size=2)
    with pytest.raises(ValueError, match='frame 5 of clip.mp4 is corrupt'):
        list(results)


def test_batch_size_must_be_positive(model):
    with pytest.raises(ValueError, match='batch_size and prefetch must be >= 1'):
        next(predict_batches(model, iter(_frames(1)), batch_size=0))


@pytest.mark.parametrize('backbone', [None, dict(type='TimmEncoder',
                                                 model_name='mobilenetv3_small_100',
                                                 out_indices=(1, 2, 3, 4))])
def test_fused_model_gives_the_same_heatmaps(tiny_fly_config, backbone):
    cfg = Config.fromfile(tiny_fly_config())
    if backbone:  # timm's BatchNormAct2d must stay as it is (it also activates)
        cfg.model.backbone = backbone
        cfg.model.head.in_channels = (16, 24, 48, 576)
    model = init_model(cfg, device='cpu').eval()
    images = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        for module in model.modules():  # non-trivial BN statistics
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
        expected = model(images, None, mode='tensor')
        def count(kind):
            return sum(type(m) is kind for m in model.modules())
        norms = count(torch.nn.BatchNorm2d)
        others = {type(m) for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)
                  and type(m) is not torch.nn.BatchNorm2d}
        before = {kind: count(kind) for kind in others}
        assert norms > 0  # the UNet head's BN layers at least: something to fold
        fuse_for_inference(model)
        assert count(torch.nn.BatchNorm2d) == 0  # every plain BN follows a conv: all folded
        assert {kind: count(kind) for kind in others} == before  # subclasses kept
        assert bool(others) == bool(backbone)  # timm's BatchNormAct2d were there to keep
        torch.testing.assert_close(model(images, None, mode='tensor'), expected,
                                   atol=1e-5, rtol=1e-4)
