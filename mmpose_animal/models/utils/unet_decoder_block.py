"""One UNet decoder step: upsample to the skip's exact size, concatenate it, convolve."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mmpose.utils.typing import ConfigType
from .conv_stack import conv_stack

UPSAMPLE_MODES = ('bilinear', 'nearest', 'deconv')


class UNetDecoderBlock(nn.Module):
    """Upsample, concatenate an optional skip feature, then ``convs_per_block`` convs.

    The upsampled map takes the **exact** spatial size of the skip feature (or twice the
    input size when there is no skip), so odd input sizes need no cropping or padding.

    Args:
        in_channels (int): Channels of the incoming (deeper) feature.
        skip_channels (int): Channels of the skip feature; ``0`` for none.
        out_channels (int): Channels of the block's output.
        upsample (str): ``'bilinear'``, ``'nearest'`` (interpolation) or ``'deconv'`` (a 2x2
            stride-2 transposed conv to ``out_channels``). Defaults to ``'bilinear'``.
        convs_per_block (int): 3x3 conv-norm-ReLU layers after the merge. Defaults to ``2``.
        norm_cfg (dict): Normalization config. Defaults to ``dict(type='BN')``.

    Note:
        - Input: x (B, in_channels, h, w); skip (B, skip_channels, H, W) or ``None``.
        - Output: (B, out_channels, H, W), with (H, W) = (2h, 2w) when there is no skip.
    """

    def __init__(self,
                 in_channels: int,
                 skip_channels: int,
                 out_channels: int,
                 upsample: str = 'bilinear',
                 convs_per_block: int = 2,
                 norm_cfg: ConfigType = dict(type='BN')):
        super().__init__()
        if upsample not in UPSAMPLE_MODES:
            raise ValueError(f'upsample must be one of {UPSAMPLE_MODES}, got {upsample!r}')
        self.upsample = upsample
        self.skip_channels = skip_channels
        if upsample == 'deconv':
            self.deconv = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=2, stride=2)
            in_channels = out_channels
        self.convs = conv_stack(in_channels + skip_channels, out_channels, convs_per_block,
                                norm_cfg)

    def _upsample(self, x: Tensor, size: Sequence[int]) -> Tensor:
        if self.upsample == 'deconv':
            x = self.deconv(x)
            if tuple(x.shape[-2:]) == tuple(size):
                return x
            mode = 'bilinear'  # odd skip sizes: one pixel off after the stride-2 deconv
        else:
            mode = self.upsample
        return F.interpolate(x, size=tuple(size), mode=mode,
                             align_corners=False if mode == 'bilinear' else None)

    def forward(self, x: Tensor, skip: Optional[Tensor] = None) -> Tensor:
        """Upsample ``x`` to the size of ``skip`` (or 2x), merge ``skip``, convolve."""
        if (skip is None) != (self.skip_channels == 0):
            raise ValueError(f'this block was built with skip_channels={self.skip_channels} '
                             f'but got skip={None if skip is None else tuple(skip.shape)}')
        size = skip.shape[-2:] if skip is not None else (2 * x.shape[-2], 2 * x.shape[-1])
        x = self._upsample(x, size)
        if skip is not None:
            x = torch.cat([x, skip], dim=1)
        return self.convs(x)
