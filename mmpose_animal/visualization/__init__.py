from .draw_keypoints import draw_keypoints

__all__ = ['draw_keypoints']
