"""The frames to label next and the labelling jobs they become (``labelling_jobs`` needs the
``labels`` extra and is imported from its module)."""
from .frame_picking import Pick, candidate_frames, pick_frames, read_thumbnails

__all__ = ['Pick', 'candidate_frames', 'pick_frames', 'read_thumbnails']
