from .backbones import TimmEncoder, UNetEncoder
from .heads import UNetHeatmapHead
from .pose_estimators import CropTopdownPoseEstimator, MultiAnimalPoseEstimator

__all__ = ['CropTopdownPoseEstimator', 'MultiAnimalPoseEstimator', 'TimmEncoder', 'UNetEncoder',
           'UNetHeatmapHead']
