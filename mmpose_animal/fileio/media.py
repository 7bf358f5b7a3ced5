"""Images and videos in: which inputs are which, and reading them with errors that name the
file."""
import os
import os.path as osp
from typing import Iterator, List, Optional, Sequence, Tuple

import mmcv
import numpy as np

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.m4v', '.webm')


def list_inputs(inputs: Sequence[str]) -> List[str]:
    """Expand folders to their images (sorted); keep image and video files as given.

    Raises:
        FileNotFoundError: An input does not exist.
        ValueError: An input is neither an image, a video nor a folder, or a folder holds
            no image.
    """
    paths = []
    for item in inputs:
        if osp.isdir(item):
            images = sorted(osp.join(item, name) for name in os.listdir(item)
                            if name.lower().endswith(IMAGE_EXTENSIONS))
            if not images:
                raise ValueError(f'folder {item} holds no image ({", ".join(IMAGE_EXTENSIONS)})')
            paths.extend(images)
        elif not osp.exists(item):
            raise FileNotFoundError(f'input {item} does not exist')
        elif item.lower().endswith(IMAGE_EXTENSIONS + VIDEO_EXTENSIONS):
            paths.append(item)
        else:
            raise ValueError(f'input {item} is not an image ({", ".join(IMAGE_EXTENSIONS)}), '
                             f'a video ({", ".join(VIDEO_EXTENSIONS)}) or a folder')
    return paths


def is_video(path: str) -> bool:
    """Whether ``path`` names a video file (by extension)."""
    return path.lower().endswith(VIDEO_EXTENSIONS)


def read_video(path: str) -> Tuple[Iterator[np.ndarray], int, Optional[float]]:
    """Open a video: (BGR frame iterator, frame count as reported, frames per second, or
    None when the file does not say).

    Raises:
        ValueError: The file cannot be opened as a video.
    """
    try:
        reader = mmcv.VideoReader(path)
    except (ValueError, FileNotFoundError) as error:
        raise ValueError(f'video {path} cannot be opened ({error})') from error
    fps = float(reader.fps or 0)
    return iter(reader), reader.frame_cnt, fps if np.isfinite(fps) and fps > 0 else None


def read_image(path: str) -> np.ndarray:
    """Read a BGR image, with an error naming the file when it cannot be decoded."""
    image = mmcv.imread(path, flag='color')
    if image is None:
        raise ValueError(f'image {path} is corrupt or not an image')
    return image


def read_selected(frames: Iterator[np.ndarray], wanted: Sequence[int]
                  ) -> Iterator[Tuple[int, np.ndarray]]:
    """``(index, frame)`` of the ``wanted`` frame indices, in one pass over ``frames`` (a
    video reader), stopping after the last one wanted."""
    wanted = set(int(i) for i in wanted)
    last = max(wanted, default=-1)
    for index, frame in enumerate(frames):
        if index > last:
            break
        if index in wanted:
            yield index, frame
