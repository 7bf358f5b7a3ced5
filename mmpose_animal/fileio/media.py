"""Images and videos in: which inputs are which, and reading them with errors that name the
file."""
import glob
import os
import os.path as osp
from typing import Iterator, List, Optional, Sequence, Tuple

import cv2
import mmcv
import numpy as np

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.m4v', '.webm')


LIST_EXTENSIONS = ('.txt',)  # a list of inputs, one per line


def list_inputs(inputs: Sequence[str]) -> List[str]:
    """The images and videos the inputs name: a folder gives its videos and images
    (sorted), a ``.txt`` file the inputs it lists one per line (blank lines and ``#``
    comments skipped, relative paths from its folder), a glob pattern its matches; image and
    video files stay as given. A video named twice is listed once.

    Raises:
        FileNotFoundError: An input (or a listed one) does not exist, or a pattern matches
            nothing.
        ValueError: An input is neither an image, a video, a list nor a folder, or a folder
            holds neither.
    """
    paths: List[str] = []
    for item in inputs:
        if glob.has_magic(item):
            matches = sorted(glob.glob(item))
            if not matches:
                raise FileNotFoundError(f'input pattern {item} matches no file')
            paths += list_inputs(matches)
        elif osp.isdir(item):
            media = sorted(osp.join(item, name) for name in os.listdir(item)
                           if name.lower().endswith(IMAGE_EXTENSIONS + VIDEO_EXTENSIONS))
            if not media:
                raise ValueError(f'folder {item} holds no image ({", ".join(IMAGE_EXTENSIONS)})'
                                 f' and no video ({", ".join(VIDEO_EXTENSIONS)})')
            paths += media
        elif not osp.exists(item):
            raise FileNotFoundError(f'input {item} does not exist')
        elif item.lower().endswith(LIST_EXTENSIONS):
            with open(item) as file:
                listed = [line.strip() for line in file]
            folder = osp.dirname(item)
            paths += list_inputs([osp.join(folder, line) for line in listed
                                  if line and not line.startswith('#')])
        elif item.lower().endswith(IMAGE_EXTENSIONS + VIDEO_EXTENSIONS):
            paths.append(item)
        else:
            raise ValueError(f'input {item} is not an image ({", ".join(IMAGE_EXTENSIONS)}), '
                             f'a video ({", ".join(VIDEO_EXTENSIONS)}), a list (.txt) or a '
                             f'folder')
    return list(dict.fromkeys(paths))


def is_video(path: str) -> bool:
    """Whether ``path`` names a video file (by extension)."""
    return path.lower().endswith(VIDEO_EXTENSIONS)


def read_video(path: str, start: int = 0) -> Tuple[Iterator[np.ndarray], int, Optional[float]]:
    """Open a video: (BGR frame iterator from frame ``start`` on, frame count as reported,
    frames per second, or None when the file does not say). Frames before ``start`` are
    skipped without being converted.

    Raises:
        ValueError: The file cannot be opened as a video, or reports no frame.
    """
    if not osp.isfile(path):
        raise ValueError(f'video {path} does not exist')
    if osp.getsize(path) == 0:
        raise ValueError(f'video {path} is an empty file (0 bytes)')
    capture = cv2.VideoCapture(path)
    if not capture.isOpened():
        capture.release()
        raise ValueError(f'video {path} cannot be opened: not a video OpenCV decodes, or one '
                         f'cut short before its index was written (a recording that stopped '
                         f'early)')
    count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    fps = float(capture.get(cv2.CAP_PROP_FPS) or 0)
    if count <= 0:
        capture.release()
        raise ValueError(f'video {path} holds no frame (empty, or not a video)')

    def frames() -> Iterator[np.ndarray]:
        try:
            for _ in range(start):
                if not capture.grab():
                    return
            while True:
                ok, frame = capture.read()
                if not ok:
                    return
                yield frame
        finally:
            capture.release()
    return frames(), count, fps if np.isfinite(fps) and fps > 0 else None


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
