"""A stack of conv-norm-activation layers, the unit both UNet halves are built from."""
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.utils.typing import ConfigType


def conv_stack(in_channels: int,
               out_channels: int,
               num_convs: int = 2,
               norm_cfg: ConfigType = dict(type='BN'),
               act_cfg: ConfigType = dict(type='ReLU', inplace=True)) -> nn.Sequential:
    """Build ``num_convs`` 3x3 conv-norm-activation layers that keep the spatial size.

    Args:
        in_channels (int): Channels of the input.
        out_channels (int): Channels of every layer's output.
        num_convs (int): Number of layers. Defaults to ``2`` (UNet's double conv).
        norm_cfg (dict): mmcv normalization config. Defaults to ``dict(type='BN')``.
        act_cfg (dict): mmcv activation config. Defaults to ``dict(type='ReLU')``.

    Returns:
        nn.Sequential: Maps (B, in_channels, H, W) to (B, out_channels, H, W).
    """
    if num_convs < 1:
        raise ValueError(f'num_convs must be >= 1, got {num_convs}')
    return nn.Sequential(*[
        ConvModule(in_channels if i == 0 else out_channels, out_channels, kernel_size=3,
                   padding=1, norm_cfg=norm_cfg, act_cfg=act_cfg)
        for i in range(num_convs)
    ])
