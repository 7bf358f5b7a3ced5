"""Checks shared by the datasets: every error names the file and the record it comes from."""
from typing import Tuple

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
        keypoints (np.ndarray): (1, K, 2) keypoint coordinates in pixels.
        visible (np.ndarray): (1, K) visibility.
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
    x, y = keypoints[0, :, 0], keypoints[0, :, 1]
    outside = (visible[0] > 0) & ((x < 0) | (y < 0) | (x >= img_w) | (y >= img_h))
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        raise ValueError(f'{where}: keypoint {k} at ({x[k]:g}, {y[k]:g}) lies outside its '
                         f'{img_w:g}x{img_h:g} image')
