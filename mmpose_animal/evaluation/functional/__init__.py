from .keypoint_distance import (SUMMARY_KEYS, box_diagonals, keypoint_distances,
                                per_keypoint_mean, summarize_distances)
from .track_metrics import keypoint_similarity, matched_pairs, track_metrics

__all__ = ['SUMMARY_KEYS', 'box_diagonals', 'keypoint_distances', 'keypoint_similarity',
           'matched_pairs', 'per_keypoint_mean', 'summarize_distances', 'track_metrics']
