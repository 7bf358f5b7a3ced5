from .metrics import KeypointDistanceMetric, KeypointPredictionDump

__all__ = ['KeypointDistanceMetric', 'KeypointPredictionDump']
