"""Checks shared by the datasets: every error names the file and the record it comes from."""
from typing import Optional, Sequence, Tuple

import numpy as np
from PIL import Image, UnidentifiedImageError


def read_image_size(img_path: str, where: str, decode: bool = False) -> Tuple[int, int]:
    """Return (width, height) from the image header; with ``decode``, after decoding every
    pixel (a truncated file then fails here, not mid-epoch).

    Args:
        img_path (str): The image file.
        where (str): The label record that names the image, for the error message.
        decode (bool): Decode the pixels too. Defaults to ``False`` (header only).

    Raises:
        FileNotFoundError: The image does not exist.
        ValueError: The file is not a readable image.
    """
    try:
        with Image.open(img_path) as image:
            if decode:
                image.load()
            return image.size
    except FileNotFoundError:
        raise FileNotFoundError(f'{where}: image {img_path} does not exist') from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValueError(f'{where}: image {img_path} is corrupt or not an image '
                         f'({error})') from error


def check_keypoints(keypoints: np.ndarray, visible: np.ndarray, num_keypoints: int,
                    img_w: float, img_h: float, where: str) -> None:
    """Check the keypoint count and that every visible keypoint lies inside its image.

    Args:
        keypoints (np.ndarray): (N, K, 2) keypoint coordinates in pixels.
        visible (np.ndarray): (N, K) visibility.
        num_keypoints (int): The K the dataset's metainfo declares.
        img_w (float): Image width in pixels.
        img_h (float): Image height in pixels.
        where (str): The record, for the error message (file and line, or annotation id).

    Raises:
        ValueError: Wrong K, or a visible keypoint outside ``[0, w) x [0, h)``.
    """
    if keypoints.shape[-2] != num_keypoints:
        raise ValueError(f'{where}: {keypoints.shape[-2]} keypoints, but the dataset has '
                         f'{num_keypoints}')
    check_inside(keypoints, visible > 0, img_w, img_h, where)


def check_inside(keypoints: np.ndarray, labelled: np.ndarray, img_w: float, img_h: float,
                 where: str, names: Optional[Sequence[str]] = None) -> None:
    """Check that every labelled keypoint lies inside ``[0, w) x [0, h)``.

    Args:
        keypoints (np.ndarray): (N, K, 2) keypoint coordinates in pixels (N instances).
        labelled (np.ndarray): (N, K) bool, the points to check.
        img_w (float): Image width in pixels.
        img_h (float): Image height in pixels.
        where (str): The record, for the error message.
        names (Sequence[str], optional): Keypoint names for the message (else indices).

    Raises:
        ValueError: Naming the first point outside: keypoint, instance (when N > 1) and
            coordinates.
    """
    x, y = keypoints[..., 0], keypoints[..., 1]
    outside = labelled & ((x < 0) | (y < 0) | (x >= img_w) | (y >= img_h))
    if outside.any():
        n, k = (int(i[0]) for i in np.nonzero(outside))
        instance = f' of instance {n}' if len(keypoints) > 1 else ''
        raise ValueError(f'{where}: keypoint {names[k] if names else k}{instance} at '
                         f'({x[n, k]:g}, {y[n, k]:g}) lies outside the {img_w:g}x{img_h:g} '
                         f'image')
