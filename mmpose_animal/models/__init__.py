from .backbones import UNetEncoder
from .heads import UNetHeatmapHead

__all__ = ['UNetEncoder', 'UNetHeatmapHead']
