from .backbones import TimmEncoder, UNetEncoder
from .heads import UNetHeatmapHead

__all__ = ['TimmEncoder', 'UNetEncoder', 'UNetHeatmapHead']
