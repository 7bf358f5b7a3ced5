from .crop_topdown import CropTopdownPoseEstimator

__all__ = ['CropTopdownPoseEstimator']
