from .backbones import TimmEncoder, UNetEncoder
from .heads import UNetHeatmapHead
from .pose_estimators import CropTopdownPoseEstimator

__all__ = ['CropTopdownPoseEstimator', 'TimmEncoder', 'UNetEncoder', 'UNetHeatmapHead']
