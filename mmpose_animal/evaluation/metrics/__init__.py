from .keypoint_distance_metric import KeypointDistanceMetric
from .keypoint_prediction_dump import KeypointPredictionDump

__all__ = ['KeypointDistanceMetric', 'KeypointPredictionDump']
