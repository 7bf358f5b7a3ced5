from .keypoint_distance import (SUMMARY_KEYS, box_diagonals, keypoint_distances,
                                per_keypoint_mean, summarize_distances)

__all__ = ['SUMMARY_KEYS', 'box_diagonals', 'keypoint_distances', 'per_keypoint_mean',
           'summarize_distances']
