"""Any timm model's feature pyramid as an mmpose backbone (ConvNeXt-V2, MobileNetV3, ...)."""
import os.path as osp
from typing import Optional, Sequence, Tuple

from torch import Tensor

from mmpose.models.backbones.base_backbone import BaseBackbone
from mmpose.registry import MODELS
from mmpose.utils.typing import OptMultiConfig
from ...utils.optional_import import require


@MODELS.register_module()
class TimmEncoder(BaseBackbone):
    """A timm model built with ``features_only=True``: its stages, highest resolution first.

    Weights come from a local file (``checkpoint``: a timm ``state_dict`` of the whole
    classification model, ``.pth`` / ``.bin`` / ``.safetensors``; the classifier is left
    out), since model hubs are not always reachable. Without one the model starts from
    scratch.

    Args:
        model_name (str): timm model name, e.g. ``'convnextv2_atto'``,
            ``'mobilenetv3_large_100'``, ``'efficientnet_b0'``.
        out_indices (Sequence[int], optional): Feature levels to return (timm's
            ``out_indices``). Defaults to ``None`` (every level).
        checkpoint (str, optional): Local weights file. Defaults to ``None``.
        in_channels (int): Channels of the input image. Defaults to ``3``.
        init_cfg (dict | list[dict], optional): Initialization config. Defaults to ``None``
            (timm's own initialization).

    Note:
        - Input: (B, in_channels, H, W).
        - Output: tuple of (B, C_i, H / r_i, W / r_i), with C_i :attr:`out_channels` and
          r_i :attr:`reductions`.
    """

    def __init__(self,
                 model_name: str,
                 out_indices: Optional[Sequence[int]] = None,
                 checkpoint: Optional[str] = None,
                 in_channels: int = 3,
                 init_cfg: OptMultiConfig = None):
        super().__init__(init_cfg)
        timm = require('timm', 'timm')
        if not timm.is_model(model_name):
            close = timm.list_models(f'*{model_name.split("_")[0]}*')[:8]
            raise ValueError(f'timm has no model {model_name!r}; similar names: {close}')
        if checkpoint is not None and not osp.isfile(checkpoint):
            raise FileNotFoundError(f'TimmEncoder checkpoint {checkpoint} does not exist')
        kwargs = dict(features_only=True, in_chans=in_channels,
                      pretrained=checkpoint is not None)
        if out_indices is not None:
            kwargs['out_indices'] = tuple(out_indices)
        if checkpoint is not None:
            kwargs['pretrained_cfg_overlay'] = dict(file=checkpoint)
        self.model = timm.create_model(model_name, **kwargs)

    @property
    def out_channels(self) -> Tuple[int, ...]:
        """Channels of the returned levels (the head's ``in_channels``)."""
        return tuple(self.model.feature_info.channels())

    @property
    def reductions(self) -> Tuple[int, ...]:
        """Stride of each returned level."""
        return tuple(self.model.feature_info.reduction())

    def forward(self, x: Tensor) -> Tuple[Tensor, ...]:
        """Return the features of every requested level, highest resolution first."""
        return tuple(self.model(x))
