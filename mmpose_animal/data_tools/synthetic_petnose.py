"""Render pet-head photos with an exactly known nose, labelled in the public noses format.

Colour images of varied size (about 200-500 px a side): a cartoon pet head (face, ears,
eyes, muzzle and a dark nose) on a textured background, with random position, size,
in-plane rotation and colours. Labels go to ``train_noses.txt`` / ``test_noses.txt`` with
CRLF line ends, exactly like the public files, so the same parser reads them.
"""
import os
import os.path as osp
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

import cv2
import numpy as np

from ..fileio.coco_splits import split_indices
from ..datasets.nose_labels import format_nose_line

BREEDS = ('abyssinian', 'beagle', 'bengal', 'boxer', 'havanese', 'persian', 'pug',
          'samoyed', 'shiba_inu', 'sphynx')
NOSE_COLOR_MAX = 60  # every channel of the nose colour is at most this (a dark nose)


@dataclass
class PetHead:
    """Where the nose is (pixels) and its colour (BGR), for checking a rendered image."""

    nose: np.ndarray
    nose_color: np.ndarray
    nose_axes: np.ndarray


def _texture(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A smooth random colour field with stripes, as a stand-in for indoor backgrounds."""
    coarse = rng.uniform(60, 220, size=(rng.integers(3, 8), rng.integers(3, 8), 3))
    field = cv2.resize(coarse.astype(np.float32), (width, height),
                       interpolation=cv2.INTER_CUBIC)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    angle, period = rng.uniform(0, np.pi), rng.uniform(8, 40)
    stripes = np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
    field += (rng.uniform(5, 25) * stripes)[..., None]
    return field + rng.normal(0, 4, field.shape)


def _rotate(points: np.ndarray, center: np.ndarray, angle: float) -> np.ndarray:
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return (points - center) @ rotation.T + center


def render_pet(rng: np.random.Generator) -> tuple:
    """Render one pet photo.

    Returns:
        tuple: ``(image, head)``; image (H, W, 3) uint8 BGR, head a :class:`PetHead`.
    """
    width, height = (int(v) for v in rng.integers(200, 501, size=2))
    canvas = _texture(rng, height, width)
    radius = rng.uniform(0.18, 0.32) * min(width, height)
    center = np.array([rng.uniform(radius * 1.3, width - radius * 1.3),
                       rng.uniform(radius * 1.5, height - radius * 1.2)])
    tilt = rng.uniform(-np.pi / 6, np.pi / 6)
    fur = rng.uniform(70, 230, size=3)

    def place(dx: float, dy: float) -> np.ndarray:
        return _rotate(center + radius * np.array([dx, dy]), center, tilt)

    def ellipse(at, axes, color) -> None:
        cv2.ellipse(canvas, tuple(int(round(v)) for v in at),
                    tuple(int(round(radius * a)) for a in axes), float(np.degrees(tilt)),
                    0, 360, tuple(float(c) for c in color), -1, cv2.LINE_AA)

    for side in (-1, 1):
        ear = np.array([place(side * 0.95, -0.25), place(side * 0.75, -1.25),
                        place(side * 0.3, -0.8)])
        cv2.fillPoly(canvas, [np.round(ear).astype(np.int32)], tuple(float(c) for c in fur * 0.8),
                     cv2.LINE_AA)
    ellipse(place(0, 0), (1.0, 0.9), fur)
    ellipse(place(0, 0.38), (0.45, 0.33), np.clip(fur * 1.25 + 20, 0, 255))
    for side in (-1, 1):
        ellipse(place(side * 0.38, -0.2), (0.14, 0.12), (240, 240, 240))
        ellipse(place(side * 0.38, -0.2), (0.07, 0.1), rng.uniform(0, 40, size=3))
    nose = place(0, 0.28)
    nose_color = rng.uniform(0, NOSE_COLOR_MAX, size=3)
    nose_axes = np.array([0.13, 0.09]) * radius
    ellipse(nose, (0.13, 0.09), nose_color)

    canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.3, 1.0))
    image = np.clip(canvas + rng.normal(0, 3, canvas.shape), 0, 255).astype(np.uint8)
    return image, PetHead(nose, nose_color, nose_axes)


def make_synthetic_petnose(out_dir: str, num: int, seed: int = 0, test_ratio: float = 0.15,
                           force: bool = False,
                           progress: Optional[Callable[[Iterable], Iterable]] = None) -> dict:
    """Write ``num`` JPEGs to ``out_dir/images`` and the two label files.

    Args:
        out_dir (str): Output folder.
        num (int): Number of images.
        seed (int): Seed; the same seed gives the same files. Defaults to ``0``.
        test_ratio (float): Fraction in ``test_noses.txt``. Defaults to ``0.15``.
        force (bool): Replace existing output. Defaults to ``False``.
        progress (Callable, optional): Wraps the image loop, e.g. ``tqdm``.

    Returns:
        dict: ``train`` / ``test`` -> label file path.
    """
    if num < 1:
        raise ValueError(f'num must be >= 1, got {num}')
    label_files = {split: osp.join(out_dir, f'{split}_noses.txt') for split in ('train', 'test')}
    image_dir = osp.join(out_dir, 'images')
    existing = [p for p in label_files.values() if osp.exists(p)]
    if (existing or (osp.isdir(image_dir) and os.listdir(image_dir))) and not force:
        raise FileExistsError(f'{out_dir} already holds pet-nose data; pass --force '
                              f'(force=True) to replace it')
    os.makedirs(image_dir, exist_ok=True)
    for name in os.listdir(image_dir):
        os.remove(osp.join(image_dir, name))
    lines = []
    indices = range(num)
    for index in (progress(indices) if progress else indices):
        rng = np.random.default_rng([seed, index])
        image, head = render_pet(rng)
        file_name = f'{BREEDS[index % len(BREEDS)]}_{index + 1}.jpg'
        cv2.imwrite(osp.join(image_dir, file_name), image, [cv2.IMWRITE_JPEG_QUALITY, 95])
        # whole pixels, as in the public files
        lines.append(format_nose_line(file_name, round(float(head.nose[0])),
                                      round(float(head.nose[1]))))
    splits = split_indices(num, (1 - test_ratio, 0.0, test_ratio), seed)
    for split, path in label_files.items():
        with open(path, 'w', newline='') as file:
            file.write(''.join(lines[i] + '\r\n' for i in splits[split]))
    return label_files
