from .draw_keypoints import draw_instances, draw_keypoints, palette
from .experiment_plots import plot_experiment
from .sequence_plots import (draw_frame, plot_animal_trajectories, plot_outlier_score,
                             plot_trajectories, write_overlays)

__all__ = ['draw_frame', 'draw_instances', 'draw_keypoints', 'palette',
           'plot_animal_trajectories', 'plot_experiment', 'plot_outlier_score',
           'plot_trajectories', 'write_overlays']
