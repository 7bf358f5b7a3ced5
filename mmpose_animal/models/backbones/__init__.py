from .timm_encoder import TimmEncoder
from .unet_encoder import UNetEncoder

__all__ = ['TimmEncoder', 'UNetEncoder']
