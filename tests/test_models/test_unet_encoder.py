import pytest
import torch

from mmpose.registry import MODELS
from mmpose_animal.models import UNetEncoder


@pytest.mark.parametrize('height,width', [(192, 192), (193, 181)])
def test_levels_halve_the_size_and_double_the_channels(height, width):
    encoder = UNetEncoder(base_channels=8, num_stages=5)
    levels = encoder(torch.rand(2, 3, height, width))
    assert len(levels) == 5
    for i, level in enumerate(levels):
        assert level.shape == (2, 8 * 2**i, height // 2**i, width // 2**i)
    assert encoder.out_channels == (8, 16, 32, 64, 128)


def test_max_channels_caps_and_out_indices_select():
    encoder = UNetEncoder(base_channels=16, num_stages=4, max_channels=32, out_indices=(1, 3))
    levels = encoder(torch.rand(1, 1 * 3, 64, 64))
    assert [lv.shape[1] for lv in levels] == [32, 32]
    assert [lv.shape[-1] for lv in levels] == [32, 8]
    assert encoder.out_channels == (32, 32)


def test_builds_from_the_registry_with_dropout_and_grayscale_input():
    encoder = MODELS.build(dict(type='UNetEncoder', in_channels=1, base_channels=4,
                                num_stages=3, dropout=0.5))
    encoder.train()
    levels = encoder(torch.rand(2, 1, 32, 32))
    assert levels[-1].shape == (2, 16, 8, 8)


@pytest.mark.parametrize('kwargs,message', [
    (dict(num_stages=0), 'num_stages must be >= 1, got 0'),
    (dict(base_channels=0), 'base_channels must be >= 1, got 0'),
    (dict(dropout=1.0), r'dropout must be in \[0, 1\), got 1.0'),
    (dict(num_stages=3, out_indices=(3,)), r'out_indices must be a non-empty subset of range'),
])
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        UNetEncoder(**kwargs)
