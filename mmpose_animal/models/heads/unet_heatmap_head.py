"""A UNet decoder over a backbone's multi-scale features, predicting keypoint heatmaps."""
from typing import Optional, Sequence, Tuple, Union

import torch
from mmengine.structures import PixelData
from torch import Tensor, nn

from mmpose.evaluation.functional import pose_pck_accuracy
from mmpose.models.heads.base_head import BaseHead
from mmpose.models.utils.tta import flip_heatmaps
from mmpose.registry import KEYPOINT_CODECS, MODELS
from mmpose.utils.tensor_utils import to_numpy
from mmpose.utils.typing import (ConfigType, Features, OptConfigType, OptMultiConfig,
                                 OptSampleList, Predictions)
from ..utils import UPSAMPLE_MODES, UNetDecoderBlock

FINAL_ACTIVATIONS = (None, 'sigmoid')

# flip test on at most this many images: the flipped views go in the same network call
# (faster on a CPU for one or two images, slower for larger batches: benchmarks/README.md)
MERGE_FLIP_UP_TO = 2


@MODELS.register_module()
class UNetHeatmapHead(BaseHead):
    """Heatmap head with a UNet decoder: upsample, merge the skip feature, convolve.

    Block ``i`` starts from the deepest feature (``feats[-1]``) or the previous block, and
    upsamples to the exact size of the skip feature ``feats[-2 - i]``; blocks beyond the
    available skips (or all blocks with ``use_skips=False``) upsample by 2. A 1x1 conv maps
    the last block to the heatmaps. The output resolution is set by the number of blocks and
    must equal the codec's ``heatmap_size``; a mismatch raises an error instead of resizing.

    Args:
        in_channels (int | Sequence[int]): Channels of each backbone feature, highest
            resolution first (e.g. ``(64, 128, 256, 512)`` for ResNet-18 with
            ``out_indices=(0, 1, 2, 3)``). An int means a single feature.
        out_channels (int): Number of heatmaps (K; 3K for UDP's ``combined`` heatmaps).
        decoder_channels (Sequence[int]): Output channels of each decoder block, deepest
            first; one block per x2 upsampling. Defaults to ``(256, 128, 64)``.
        use_skips (bool): Concatenate skip features (UNet). ``False`` gives a plain
            upsampling decoder over ``feats[-1]``. Defaults to ``True``.
        upsample (str): ``'bilinear'``, ``'nearest'`` or ``'deconv'``. Defaults to
            ``'bilinear'``.
        convs_per_block (int): 3x3 conv-BN-ReLU layers per block. Defaults to ``2``.
        norm_cfg (dict): Normalization config of the blocks. Defaults to ``dict(type='BN')``.
        final_activation (str, optional): ``None`` or ``'sigmoid'`` on the heatmaps.
            Defaults to ``None``.
        loss (dict): Config of the keypoint loss. Defaults to ``KeypointMSELoss`` with
            target weights.
        decoder (dict, optional): Codec config used to decode keypoints (``MSRAHeatmap``,
            ``UDPHeatmap``, ...). Defaults to ``None``.
        init_cfg (dict | list[dict], optional): Initialization config. Defaults to Kaiming
            for convs, 1 for BN and Normal(std=0.001) for the final layer.

    Note:
        - B: batch size, K: ``out_channels``, (h, w): size of ``feats[-1]``.
        - Input: tuple of (B, C_j, H_j, W_j), highest resolution first.
        - Output: (B, K, H_out, W_out), with (H_out, W_out) the size of the skip of the last
          block, or (h, w) * 2**len(decoder_channels) without skips.
    """

    def __init__(self,
                 in_channels: Union[int, Sequence[int]],
                 out_channels: int,
                 decoder_channels: Sequence[int] = (256, 128, 64),
                 use_skips: bool = True,
                 upsample: str = 'bilinear',
                 convs_per_block: int = 2,
                 norm_cfg: ConfigType = dict(type='BN'),
                 final_activation: Optional[str] = None,
                 loss: ConfigType = dict(type='KeypointMSELoss', use_target_weight=True),
                 decoder: OptConfigType = None,
                 init_cfg: OptMultiConfig = None):
        if init_cfg is None:
            init_cfg = self.default_init_cfg
        super().__init__(init_cfg)
        in_channels = [in_channels] if isinstance(in_channels, int) else list(in_channels)
        self._check_args(in_channels, out_channels, decoder_channels, upsample,
                         final_activation)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.use_skips = use_skips
        self.loss_module = MODELS.build(loss)
        self.decoder = KEYPOINT_CODECS.build(decoder) if decoder is not None else None

        self.skip_channels = [
            in_channels[-2 - i] if use_skips and i < len(in_channels) - 1 else 0
            for i in range(len(decoder_channels))
        ]
        block_inputs = [in_channels[-1]] + list(decoder_channels[:-1])
        self.blocks = nn.ModuleList([
            UNetDecoderBlock(block_in, skip, block_out, upsample, convs_per_block, norm_cfg)
            for block_in, skip, block_out in zip(block_inputs, self.skip_channels,
                                                 decoder_channels)
        ])
        last_channels = decoder_channels[-1] if decoder_channels else in_channels[-1]
        self.final_layer = nn.Conv2d(last_channels, out_channels, kernel_size=1)
        self.final_activation = nn.Sigmoid() if final_activation == 'sigmoid' else nn.Identity()

    @staticmethod
    def _check_args(in_channels: Sequence[int], out_channels: int,
                    decoder_channels: Sequence[int], upsample: str,
                    final_activation: Optional[str]) -> None:
        if not in_channels or any(c < 1 for c in in_channels):
            raise ValueError(f'in_channels must be positive channel counts, got {in_channels}')
        if out_channels < 1:
            raise ValueError(f'out_channels must be >= 1, got {out_channels}')
        if any(c < 1 for c in decoder_channels):
            raise ValueError(f'decoder_channels must be positive, got {decoder_channels}')
        if upsample not in UPSAMPLE_MODES:
            raise ValueError(f'upsample must be one of {UPSAMPLE_MODES}, got {upsample!r}')
        if final_activation not in FINAL_ACTIVATIONS:
            raise ValueError(f'final_activation must be one of {FINAL_ACTIVATIONS}, '
                             f'got {final_activation!r}')

    @property
    def default_init_cfg(self) -> list:
        return [
            dict(type='Kaiming', layer=['Conv2d', 'ConvTranspose2d']),
            dict(type='Constant', layer='BatchNorm2d', val=1),
            dict(type='Normal', std=0.001, bias=0, override=dict(name='final_layer')),
        ]

    def forward(self, feats: Tuple[Tensor]) -> Tensor:
        """Decode multi-scale features (highest resolution first) into (B, K, H, W) heatmaps."""
        if len(feats) != len(self.in_channels):
            raise ValueError(f'{type(self).__name__} was built for {len(self.in_channels)} '
                             f'features (in_channels={self.in_channels}) but got {len(feats)}')
        x = feats[-1]
        for i, block in enumerate(self.blocks):
            x = block(x, feats[-2 - i] if self.skip_channels[i] else None)
        return self.final_activation(self.final_layer(x))

    def _check_heatmap_size(self, heatmaps: Tensor, expected_hw: Sequence[int],
                            source: str) -> None:
        if tuple(heatmaps.shape[-2:]) != tuple(expected_hw):
            raise ValueError(
                f'{type(self).__name__} outputs heatmaps of H x W = '
                f'{tuple(heatmaps.shape[-2:])} but {source} is {tuple(expected_hw)}. Make '
                f'them agree: change the number of decoder blocks (decoder_channels, one per '
                f'x2 upsampling), the backbone features used, or the codec heatmap_size.')

    def predict(self,
                feats: Features,
                batch_data_samples: OptSampleList,
                test_cfg: ConfigType = {}) -> Predictions:
        """Decode keypoints, with optional flip test and heatmap output.

        Args:
            feats (Tuple[Tensor] | List[Tuple[Tensor]]): Multi-scale features; with
                ``test_cfg['flip_test']`` a list ``[feats, feats_of_flipped_input]``.
            batch_data_samples (List[PoseDataSample]): The batch's data samples (their
                ``flip_indices`` metainfo is used by the flip test).
            test_cfg (dict): ``flip_test`` (bool), ``flip_mode`` (``'heatmap'`` or
                ``'udp_combined'``), ``shift_heatmap`` (bool), ``output_heatmaps`` (bool).

        Returns:
            InstanceList | Tuple[InstanceList, PixelDataList]: ``keypoints`` (N, K, 2) and
            ``keypoint_scores`` (N, K) per sample, in input-image pixels, plus the
            (K, H, W) heatmaps when ``output_heatmaps`` is set.
        """
        if test_cfg.get('flip_test', False):
            if not (isinstance(feats, list) and len(feats) == 2):
                raise ValueError('flip_test expects feats = [feats, flipped_feats]')
            flip_indices = batch_data_samples[0].metainfo['flip_indices']
            if len(feats[0][0]) <= MERGE_FLIP_UP_TO:  # both views in one call
                both = self.forward(tuple(torch.cat(pair) for pair in zip(*feats)))
                heatmaps, flipped = both.chunk(2)
            else:
                heatmaps, flipped = self.forward(feats[0]), self.forward(feats[1])
            flipped = flip_heatmaps(flipped,
                                    flip_mode=test_cfg.get('flip_mode', 'heatmap'),
                                    flip_indices=flip_indices,
                                    shift_heatmap=test_cfg.get('shift_heatmap', False))
            heatmaps = (heatmaps + flipped) * 0.5
        else:
            heatmaps = self.forward(feats)

        heatmap_size = getattr(self.decoder, 'heatmap_size', None)
        if heatmap_size is not None:
            self._check_heatmap_size(heatmaps, heatmap_size[::-1], 'the codec heatmap_size')
        preds = self.decode(heatmaps)
        if test_cfg.get('output_heatmaps', False):
            return preds, [PixelData(heatmaps=hm) for hm in heatmaps.detach()]
        return preds

    def loss(self,
             feats: Tuple[Tensor],
             batch_data_samples: OptSampleList,
             train_cfg: ConfigType = {}) -> dict:
        """Keypoint loss against the samples' target heatmaps, plus ``acc_pose``.

        Args:
            feats (Tuple[Tensor]): Multi-scale features.
            batch_data_samples (List[PoseDataSample]): Samples with ``gt_fields.heatmaps``
                (K, H, W) and ``gt_instance_labels.keypoint_weights`` (1, K).
            train_cfg (dict): ``compute_acc`` (bool, default ``True``).

        Returns:
            dict: ``loss_kpt`` and, when computed, ``acc_pose``.
        """
        heatmaps = self.forward(feats)
        gt_heatmaps = torch.stack([d.gt_fields.heatmaps for d in batch_data_samples])
        self._check_heatmap_size(heatmaps, gt_heatmaps.shape[-2:],
                                 'the target heatmap size (codec heatmap_size)')
        keypoint_weights = torch.cat(
            [d.gt_instance_labels.keypoint_weights for d in batch_data_samples])
        losses = dict(loss_kpt=self.loss_module(heatmaps, gt_heatmaps, keypoint_weights))
        if train_cfg.get('compute_acc', True):
            _, avg_acc, _ = pose_pck_accuracy(
                output=to_numpy(heatmaps),
                target=to_numpy(gt_heatmaps),
                mask=to_numpy(keypoint_weights) > 0)
            losses['acc_pose'] = torch.tensor(avg_acc, device=gt_heatmaps.device)
        return losses
