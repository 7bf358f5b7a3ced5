"""The contracting path of a UNet, as an mmpose backbone."""
from typing import Optional, Sequence, Tuple

from torch import Tensor, nn

from mmpose.models.backbones.base_backbone import BaseBackbone
from mmpose.registry import MODELS
from mmpose.utils.typing import ConfigType, OptMultiConfig
from ..utils import conv_stack


@MODELS.register_module()
class UNetEncoder(BaseBackbone):
    """UNet encoder (`Ronneberger et al., 2015`_), trained from scratch.

    Level 0 is a double conv at the input resolution; every further level is a 2x2 max-pool
    followed by a double conv. All levels are returned, highest resolution first, so
    :class:`UNetHeatmapHead` can use them as skip features.

    Args:
        in_channels (int): Channels of the input image. Defaults to ``3``.
        base_channels (int): Channels of level 0; level ``i`` has
            ``min(base_channels * 2**i, max_channels)``. Defaults to ``64``.
        num_stages (int): Number of levels (depth). Defaults to ``5`` (strides 1 to 16).
        max_channels (int, optional): Cap on the channels of a level. Defaults to ``None``.
        convs_per_stage (int): Conv layers per level. Defaults to ``2``.
        norm_cfg (dict): Normalization config. Defaults to ``dict(type='BN')``.
        dropout (float): Probability of ``Dropout2d`` after the deepest level, as in the
            original UNet. Defaults to ``0.0`` (off).
        out_indices (Sequence[int], optional): Levels to return. Defaults to ``None`` (all).
        init_cfg (dict | list[dict], optional): Initialization config. Defaults to Kaiming
            for convs and 1 for norm weights.

    Note:
        - Input: (B, in_channels, H, W), any H and W.
        - Output: tuple; level ``i`` is (B, C_i, H // 2**i, W // 2**i).

    .. _`Ronneberger et al., 2015`: https://arxiv.org/abs/1505.04597
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 num_stages: int = 5,
                 max_channels: Optional[int] = None,
                 convs_per_stage: int = 2,
                 norm_cfg: ConfigType = dict(type='BN'),
                 dropout: float = 0.0,
                 out_indices: Optional[Sequence[int]] = None,
                 init_cfg: OptMultiConfig = None):
        if init_cfg is None:
            init_cfg = [dict(type='Kaiming', layer='Conv2d'),
                        dict(type='Constant', layer=['_BatchNorm', 'GroupNorm'], val=1)]
        super().__init__(init_cfg)
        if num_stages < 1:
            raise ValueError(f'num_stages must be >= 1, got {num_stages}')
        if base_channels < 1:
            raise ValueError(f'base_channels must be >= 1, got {base_channels}')
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f'dropout must be in [0, 1), got {dropout}')
        self.out_indices = tuple(range(num_stages)) if out_indices is None else tuple(out_indices)
        if not self.out_indices or any(not 0 <= i < num_stages for i in self.out_indices):
            raise ValueError(f'out_indices must be a non-empty subset of range({num_stages}), '
                             f'got {out_indices}')

        self.stage_channels = [
            min(base_channels * 2**i, max_channels or base_channels * 2**i)
            for i in range(num_stages)
        ]
        self.stages = nn.ModuleList()
        previous = in_channels
        for level, channels in enumerate(self.stage_channels):
            layers = [nn.MaxPool2d(2)] if level > 0 else []
            layers.append(conv_stack(previous, channels, convs_per_stage, norm_cfg))
            self.stages.append(nn.Sequential(*layers))
            previous = channels
        self.dropout = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()

    @property
    def out_channels(self) -> Tuple[int, ...]:
        """Channels of the returned levels, in order (the head's ``in_channels``)."""
        return tuple(self.stage_channels[i] for i in self.out_indices)

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Return the feature of every level in ``out_indices``, highest resolution first."""
        levels = []
        for stage in self.stages:
            x = stage(x)
            levels.append(x)
        levels[-1] = self.dropout(levels[-1])
        return tuple(levels[i] for i in self.out_indices)
