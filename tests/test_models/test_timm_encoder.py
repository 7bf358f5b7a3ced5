"""timm encoders under the UNet head: forward, loss and predict at odd sizes, local weights."""
import pytest
import timm
import torch

from mmpose.registry import MODELS
from mmpose.testing import get_packed_inputs
from mmpose_animal.models import TimmEncoder

# (model, out_indices): levels at strides 4, 8, 16, 32 for every model
ENCODERS = [('convnextv2_atto', None), ('mobilenetv3_large_100', (1, 2, 3, 4)),
            ('efficientnet_b0', (1, 2, 3, 4))]


@pytest.mark.parametrize('name, out_indices', ENCODERS)
def test_under_the_unet_head_at_odd_sizes(name, out_indices):
    encoder = TimmEncoder(name, out_indices=out_indices)
    assert encoder.reductions == (4, 8, 16, 32)
    # the stride-4 level of a 99x67 input is 24x16 or 25x17, depending on the model's padding
    height, width = encoder(torch.rand(1, 3, 67, 99))[0].shape[-2:]
    codec = dict(type='MSRAHeatmap', input_size=(99, 67), heatmap_size=(width, height), sigma=2)
    model = MODELS.build(dict(
        type='TopdownPoseEstimator',
        data_preprocessor=dict(type='PoseDataPreprocessor'),
        backbone=dict(type='TimmEncoder', model_name=name, out_indices=out_indices),
        head=dict(type='UNetHeatmapHead', in_channels=encoder.out_channels, out_channels=5,
                  decoder_channels=(64, 32, 16), decoder=codec),
        test_cfg=dict(flip_test=True)))
    packed = get_packed_inputs(2, num_keypoints=5, img_shape=(67, 99), input_size=(99, 67),
                               heatmap_size=(width, height))
    batch = model.data_preprocessor(packed, training=True)
    losses = model(**batch, mode='loss')
    assert torch.isfinite(losses['loss_kpt'])
    losses['loss_kpt'].backward()
    model.eval()
    with torch.no_grad():
        (first, _) = model(**model.data_preprocessor(packed), mode='predict')
    assert first.pred_instances.keypoints.shape == (1, 5, 2)


def test_local_weights_load_strictly(tmp_path):
    source = timm.create_model('mobilenetv3_small_100')
    path = tmp_path / 'mobilenetv3_small_100.pth'
    torch.save(source.state_dict(), path)
    encoder = TimmEncoder('mobilenetv3_small_100', checkpoint=str(path))
    loaded = encoder.model.state_dict()
    for key, value in loaded.items():
        assert torch.equal(value, source.state_dict()[key]), key
    assert 'classifier.weight' not in loaded


def test_unknown_model_and_missing_weights_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match=r"timm has no model 'convnext_nope'"):
        TimmEncoder('convnext_nope')
    with pytest.raises(FileNotFoundError, match=r'checkpoint .*none.pth does not exist'):
        TimmEncoder('efficientnet_b0', checkpoint=str(tmp_path / 'none.pth'))
