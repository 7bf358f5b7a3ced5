"""File formats in one place (as sleap-io's ``io``): media in, predictions and labelling jobs
out, label sources in (``fileio.labels``). The formats that need the ``labels`` extra
(``prediction_files``, ``deeplabcut``, ``labels``) are imported from their modules."""
from .media import (IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, is_video, list_inputs, read_image,
                    read_selected, read_video)
from .sequence_file import load_sequence, save_sequence, video_fingerprint

__all__ = ['IMAGE_EXTENSIONS', 'VIDEO_EXTENSIONS', 'is_video', 'list_inputs', 'load_sequence',
           'read_image', 'read_selected', 'read_video', 'save_sequence', 'video_fingerprint']
