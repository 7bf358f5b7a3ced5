from .unet_heatmap_head import UNetHeatmapHead

__all__ = ['UNetHeatmapHead']
