import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData, PixelData

from mmpose.codecs import MSRAHeatmap
from mmpose.registry import MODELS
from mmpose.structures import PoseDataSample
from mmpose.testing import get_packed_inputs
from mmpose_animal.models import UNetEncoder, UNetHeatmapHead

RESNET18 = dict(type='ResNet', depth=18, out_indices=(0, 1, 2, 3))
RESNET18_CHANNELS = (64, 128, 256, 512)


def msra(input_hw, heatmap_hw, sigma=2.0):
    return dict(type='MSRAHeatmap', input_size=input_hw[::-1], heatmap_size=heatmap_hw[::-1],
                sigma=sigma)


@pytest.mark.parametrize('num_keypoints', [1, 17])
@pytest.mark.parametrize('height,width', [(192, 192), (193, 181)])
def test_resnet_features_to_quarter_resolution_at_odd_sizes(num_keypoints, height, width):
    backbone = MODELS.build(RESNET18)
    head = UNetHeatmapHead(RESNET18_CHANNELS, num_keypoints, decoder_channels=(128, 64, 32))
    feats = backbone(torch.rand(2, 3, height, width))
    heatmaps = head(feats)
    assert heatmaps.shape == (2, num_keypoints) + tuple(feats[0].shape[-2:])


@pytest.mark.parametrize('num_keypoints', [1, 17])
@pytest.mark.parametrize('upsample', ['bilinear', 'nearest', 'deconv'])
def test_unet_encoder_to_full_resolution_at_odd_sizes(num_keypoints, upsample):
    encoder = UNetEncoder(base_channels=4, num_stages=4)
    head = UNetHeatmapHead(encoder.out_channels, num_keypoints, decoder_channels=(16, 8, 4),
                           upsample=upsample)
    heatmaps = head(encoder(torch.rand(1, 3, 193, 181)))
    assert heatmaps.shape == (1, num_keypoints, 193, 181)


def test_plain_upsampling_decoder_of_the_pet_nose_report():
    """ResNet-18 -> 5 x (bilinear x2, conv3x3-BN-ReLU) -> 1 channel with a sigmoid."""
    backbone = MODELS.build(dict(type='ResNet', depth=18, out_indices=(3,)))
    head = UNetHeatmapHead(512, 1, decoder_channels=(256, 128, 64, 32, 32), use_skips=False,
                           convs_per_block=1, final_activation='sigmoid')
    heatmaps = head(backbone(torch.rand(2, 3, 256, 256)))
    assert heatmaps.shape == (2, 1, 256, 256)
    assert heatmaps.min() >= 0 and heatmaps.max() <= 1
    assert all(block.skip_channels == 0 for block in head.blocks)
    assert [block.convs[0].conv.in_channels for block in head.blocks] == [512, 256, 128, 64, 32]


def test_decoded_keypoint_lands_on_the_peak_pixel():
    head = UNetHeatmapHead((8, 16), 2, decoder_channels=(8,), decoder=msra((64, 64), (16, 16)))
    codec = MSRAHeatmap(input_size=(64, 64), heatmap_size=(16, 16), sigma=2)
    truth = np.array([[[12.0, 40.0], [52.0, 8.0]]])  # input-image pixels (x, y)
    heatmaps = codec.encode(truth, np.ones((1, 2)))['heatmaps']
    keypoints = head.decode(torch.from_numpy(heatmaps)[None])[0].keypoints
    np.testing.assert_allclose(keypoints, truth, atol=1.0)


def _predict(head, backbone, images, flip_indices, **test_cfg):
    sample = PoseDataSample(metainfo=dict(flip_indices=flip_indices))
    feats = [backbone(images), backbone(images.flip(-1))]
    return head.predict(feats, [sample], dict(flip_test=True, **test_cfg))[0].keypoints


def test_flip_test_gives_the_mirrored_answer_for_a_mirrored_input():
    torch.manual_seed(0)
    backbone = UNetEncoder(base_channels=4, num_stages=3)
    head = UNetHeatmapHead(backbone.out_channels, 3, decoder_channels=(8, 4),
                           final_activation='sigmoid', decoder=msra((32, 32), (32, 32)))
    head.init_weights()
    backbone.eval(), head.eval()
    torch.nn.init.normal_(head.final_layer.weight, std=1.0)  # a peaked, asymmetric output
    flip_indices = [0, 2, 1]  # keypoint 0 is central, 1 and 2 are a left/right pair
    images = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        plain = _predict(head, backbone, images, flip_indices)
        mirrored = _predict(head, backbone, images.flip(-1), flip_indices)
    expected = plain[:, flip_indices].copy()
    expected[..., 0] = 31 - expected[..., 0]  # column j -> W - 1 - j
    # up to mmpose's quarter-pixel refinement, which skips peaks next to the border
    np.testing.assert_allclose(mirrored, expected, atol=0.25 + 1e-4)


def test_predict_outputs_heatmaps_when_asked():
    head = UNetHeatmapHead((8, 16), 17, decoder_channels=(8,), decoder=msra((64, 48), (16, 12)))
    feats = (torch.rand(2, 8, 16, 12), torch.rand(2, 16, 8, 6))
    preds, fields = head.predict(feats, [PoseDataSample()] * 2, dict(output_heatmaps=True))
    assert len(preds) == 2 and preds[0].keypoints.shape == (1, 17, 2)
    assert fields[0].heatmaps.shape == (17, 16, 12)


def test_loss_and_accuracy_with_packed_inputs():
    packed = get_packed_inputs(batch_size=2, num_keypoints=17, img_shape=(64, 48),
                               input_size=(48, 64), heatmap_size=(12, 16))
    head = UNetHeatmapHead((8, 16, 32), 17, decoder_channels=(16, 8))
    feats = (torch.rand(2, 8, 16, 12), torch.rand(2, 16, 8, 6), torch.rand(2, 32, 4, 3))
    losses = head.loss(feats, packed['data_samples'])
    assert set(losses) == {'loss_kpt', 'acc_pose'}
    assert losses['loss_kpt'].ndim == 0 and losses['loss_kpt'] > 0


def test_heatmap_size_mismatch_is_an_error_not_a_resize():
    packed = get_packed_inputs(batch_size=1, num_keypoints=1, heatmap_size=(48, 64))
    head = UNetHeatmapHead((8, 16), 1, decoder_channels=(8,), decoder=msra((64, 64), (16, 16)))
    feats = (torch.rand(1, 8, 32, 24), torch.rand(1, 16, 16, 12))
    with pytest.raises(ValueError, match=r'outputs heatmaps of H x W = \(32, 24\) but the '
                                         r'target heatmap size .* is \(64, 48\)'):
        head.loss(feats, packed['data_samples'])
    with pytest.raises(ValueError, match=r'but the codec heatmap_size is \(16, 16\)'):
        head.predict(feats, [PoseDataSample()])


def test_wrong_number_of_features_is_an_error():
    head = UNetHeatmapHead((8, 16, 32), 1, decoder_channels=(8,))
    with pytest.raises(ValueError, match=r'built for 3 features .* but got 2'):
        head((torch.rand(1, 8, 8, 8), torch.rand(1, 16, 4, 4)))


@pytest.mark.parametrize('kwargs,message', [
    (dict(in_channels=()), 'in_channels must be positive channel counts, got'),
    (dict(out_channels=0), 'out_channels must be >= 1, got 0'),
    (dict(decoder_channels=(8, 0)), r'decoder_channels must be positive, got \(8, 0\)'),
    (dict(upsample='bicubic'), "upsample must be one of .* got 'bicubic'"),
    (dict(final_activation='softmax'), "final_activation must be one of .* got 'softmax'"),
    (dict(convs_per_block=0), 'num_convs must be >= 1, got 0'),
])
def test_argument_errors(kwargs, message):
    args = dict(in_channels=(8, 16), out_channels=1, decoder_channels=(8,))
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        UNetHeatmapHead(**args)


def test_udp_codec_decodes_through_the_head():
    """UDP heatmaps decode back to the keypoint (sub-pixel) through the head's decoder."""
    from mmpose.registry import KEYPOINT_CODECS
    udp = dict(type='UDPHeatmap', input_size=(64, 64), heatmap_size=(16, 16), sigma=2)
    head = UNetHeatmapHead((8, 16), 2, decoder_channels=(8,), decoder=udp)
    truth = np.array([[[20.3, 41.7], [50.0, 9.5]]])
    heatmaps = KEYPOINT_CODECS.build(udp).encode(truth, np.ones((1, 2)))['heatmaps']
    (pred,) = head.decode(torch.from_numpy(heatmaps)[None])
    np.testing.assert_allclose(pred.keypoints, truth, atol=1.0)  # 1/4 of a heatmap pixel


def _blob_batch(rng, codec, num=8, size=64):
    """Images with one bright blob each, and the matching target heatmaps."""
    yy, xx = np.mgrid[0:size, 0:size]
    images, samples, truths = [], [], []
    for _ in range(num):
        x, y = rng.uniform(8, size - 8, size=2)
        image = np.exp(-((xx - x)**2 + (yy - y)**2) / (2 * 3.0**2))
        images.append(np.repeat(image[None], 3, axis=0))
        encoded = codec.encode(np.array([[[x, y]]]), np.ones((1, 1)))
        heatmaps, weights = encoded['heatmaps'], encoded["keypoint_weights"]
        sample = PoseDataSample(gt_fields=PixelData(heatmaps=torch.from_numpy(heatmaps)),
                                gt_instance_labels=InstanceData(
                                    keypoint_weights=torch.from_numpy(weights).float()))
        samples.append(sample)
        truths.append((x, y))
    return torch.tensor(np.stack(images), dtype=torch.float32), samples, np.array(truths)


def test_overfitting_one_batch_of_blobs_lowers_the_loss_and_finds_them():
    torch.manual_seed(0)
    codec = MSRAHeatmap(input_size=(64, 64), heatmap_size=(16, 16), sigma=2)
    images, samples, truths = _blob_batch(np.random.default_rng(0), codec)
    backbone = UNetEncoder(base_channels=8, num_stages=5)  # strides 1 to 16
    head = UNetHeatmapHead(backbone.out_channels, 1, decoder_channels=(32, 16),  # to stride 4
                           decoder=msra((64, 64), (16, 16)))
    backbone.init_weights(), head.init_weights()
    params = list(backbone.parameters()) + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=3e-3)
    losses = []
    for _ in range(150):
        loss = head.loss(backbone(images), samples)['loss_kpt']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert np.mean(losses[-5:]) < 0.2 * np.mean(losses[:5])
    backbone.eval(), head.eval()
    with torch.no_grad():
        preds = head.predict(backbone(images), samples)
    found = np.concatenate([p.keypoints[0] for p in preds])
    assert np.abs(found - truths).max() < 6.0  # pixels of a 64x64 image (heatmap stride 4)
