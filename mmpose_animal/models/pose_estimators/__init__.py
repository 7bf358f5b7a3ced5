from .crop_topdown import CropTopdownPoseEstimator
from .multi_animal import MultiAnimalPoseEstimator

__all__ = ['CropTopdownPoseEstimator', 'MultiAnimalPoseEstimator']
