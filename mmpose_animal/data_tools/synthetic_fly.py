"""Render top-down fruit-fly frames whose 17 keypoints are exactly known.

Frames imitate the Vinegar Fly recordings: a bright fly on a dark background, centred,
seen from above; ellipses for head, thorax and abdomen, two translucent wings, six jointed
legs (body -> joint 2 -> tip), random rotation over the full circle, scale +-20 %,
translation, blur and sensor noise.
"""
import os.path as osp
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence

import cv2
import numpy as np

from ..fileio.coco_splits import KeypointRecord, prepare_output, split_indices, write_coco_splits
from .fly17_skeleton import fly17_names, fly17_skeleton

FRAME_SIZE = 192
SUBPIXEL_BITS = 4  # cv2 drawing with 1/16-pixel precision
# Leg attachment on the thorax (forward, lateral) and base angle from the body axis (deg).
LEGS = {'foreleg': ((7.0, 7.0), 45.0), 'midleg': ((0.0, 9.0), 95.0),
        'hindleg': ((-7.0, 7.0), 140.0)}
BODY_PARTS = {  # name: (centre along the body axis, semi-axis along, semi-axis across)
    'head': (29.0, 8.0, 9.0), 'thorax': (0.0, 15.0, 11.0), 'abdomen': (-33.0, 22.0, 13.0)}


@dataclass
class FlyPose:
    """A rendered fly: keypoints (17, 2) in pixels and the head ellipse, for checking."""

    keypoints: np.ndarray
    head_center: np.ndarray
    head_axes: np.ndarray
    angle_deg: float


def _to_fixed(point: np.ndarray) -> tuple:
    return tuple(int(round(v * (1 << SUBPIXEL_BITS))) for v in point)


def _ellipse(canvas: np.ndarray, center, axes, angle_deg: float, value: float) -> None:
    cv2.ellipse(canvas, _to_fixed(center), _to_fixed(axes), angle_deg, 0, 360, value, -1,
                cv2.LINE_AA, SUBPIXEL_BITS)


def _sample_pose(rng: np.random.Generator, size: int) -> tuple:
    """Body frame (origin, forward, left, scale) and the 17 keypoints, all in pixels."""
    angle = rng.uniform(0, 2 * np.pi)
    forward = np.array([np.cos(angle), np.sin(angle)])
    left = np.array([np.sin(angle), -np.cos(angle)])  # the fly's left, seen from above
    scale = rng.uniform(0.8, 1.2)
    origin = size / 2 + rng.uniform(-0.12, 0.12, size=2) * size

    def at(along: float, across: float) -> np.ndarray:
        return origin + scale * (along * forward + across * left)

    points = {'head': at(BODY_PARTS['head'][0], 0), 'thorax': at(0, 0),
              'abdomen': at(BODY_PARTS['abdomen'][0] - 8, 0)}
    spread = rng.uniform(15, 30)
    for side, sign in (('L', 1.0), ('R', -1.0)):
        wing = np.deg2rad(180 - spread + rng.uniform(-5, 5))
        length = rng.uniform(48, 56)
        points[f'wing{side}'] = at(-4 + length * np.cos(wing), sign * length * np.sin(wing))
        for leg, ((along, across), base_deg) in LEGS.items():
            first = np.deg2rad(base_deg + rng.uniform(-18, 18))
            second = first + np.deg2rad(rng.uniform(-35, 35))
            joint = np.array([along + 20 * np.cos(first), sign * (across + 20 * np.sin(first))])
            tip = joint + np.array([23 * np.cos(second), sign * 23 * np.sin(second)])
            points[f'{leg}{side}2'] = at(*joint)
            points[f'{leg}{side}4'] = at(*tip)
            points[f'_{leg}{side}0'] = at(along, sign * across)
    return origin, forward, scale, angle, points


def render_fly(rng: np.random.Generator, size: int = FRAME_SIZE) -> tuple:
    """Render one frame.

    Args:
        rng (np.random.Generator): Source of every random choice.
        size (int): Frame side in pixels. Defaults to ``192``.

    Returns:
        tuple: ``(image, pose)``; image (size, size) uint8, pose a :class:`FlyPose`.
    """
    while True:
        origin, forward, scale, angle, points = _sample_pose(rng, size)
        keypoints = np.stack([points[name] for name in fly17_names()])
        if keypoints.min() >= 2 and keypoints.max() <= size - 3:
            break
    angle_deg = float(np.rad2deg(angle))
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    background = rng.uniform(15, 40) + rng.uniform(-10, 10) * (xx - 0.5) \
        + rng.uniform(-10, 10) * (yy - 0.5)
    canvas = background.astype(np.float32)

    wings = np.zeros_like(canvas)
    for side in 'LR':
        base = origin - 4 * scale * forward
        tip = points[f'wing{side}']
        axis = tip - base
        _ellipse(wings, (base + tip) / 2, (np.linalg.norm(axis) / 2, 8.5 * scale),
                 float(np.degrees(np.arctan2(axis[1], axis[0]))), 1.0)
    canvas += wings * rng.uniform(0.3, 0.45) * (rng.uniform(140, 200) - canvas)

    leg_value = rng.uniform(140, 190)
    for leg in LEGS:
        for side in 'LR':
            path = [points[f'_{leg}{side}0'], points[f'{leg}{side}2'], points[f'{leg}{side}4']]
            for a, b in zip(path[:-1], path[1:]):
                cv2.line(canvas, _to_fixed(a), _to_fixed(b), leg_value, 2, cv2.LINE_AA,
                         SUBPIXEL_BITS)

    body_value = rng.uniform(185, 235)
    for name, (along, semi_along, semi_across) in BODY_PARTS.items():
        shade = body_value * (0.85 if name == 'head' else 1.0)
        _ellipse(canvas, origin + scale * along * forward,
                 (scale * semi_along, scale * semi_across), angle_deg, shade)
    head_center = origin + scale * BODY_PARTS['head'][0] * forward
    head_axes = scale * np.array(BODY_PARTS['head'][1:])

    canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.5, 1.2))
    canvas += rng.normal(0, rng.uniform(2, 7), canvas.shape)
    image = np.clip(canvas, 0, 255).astype(np.uint8)
    return image, FlyPose(keypoints, head_center, head_axes, angle_deg)


def frame_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of frame ``index`` for ``seed`` (independent of other frames)."""
    return np.random.default_rng([seed, index])


def make_synthetic_fly17(out_dir: str, num: int, seed: int = 0,
                         ratios: Sequence[float] = (0.8, 0.1, 0.1), force: bool = False,
                         progress: Optional[Callable[[Iterable], Iterable]] = None) -> dict:
    """Write ``num`` frames and COCO splits in the converter's layout.

    Layout: ``out_dir/images/fly_<index>.png`` and
    ``out_dir/annotations/fly17_{train,val,test}.json``.

    Args:
        out_dir (str): Output folder.
        num (int): Number of frames.
        seed (int): Seed; the same seed gives the same files. Defaults to ``0``.
        ratios (Sequence[float]): Train / val / test fractions. Defaults to 0.8 / 0.1 / 0.1.
        force (bool): Replace existing output. Defaults to ``False``.
        progress (Callable, optional): Wraps the frame loop, e.g. ``tqdm``.

    Returns:
        dict: Split name -> annotation file path.
    """
    if num < 1:
        raise ValueError(f'num must be >= 1, got {num}')
    prepare_output(out_dir, force)
    records = []
    indices = range(num)
    for index in (progress(indices) if progress else indices):
        image, pose = render_fly(frame_rng(seed, index))
        file_name = f'fly_{index:06d}.png'
        cv2.imwrite(osp.join(out_dir, 'images', file_name), image)
        keypoints = np.concatenate([pose.keypoints, np.full((17, 1), 2.0)], axis=1)
        records.append(KeypointRecord(file_name, FRAME_SIZE, FRAME_SIZE, keypoints,
                                      (0.0, 0.0, float(FRAME_SIZE), float(FRAME_SIZE))))
    return write_coco_splits(out_dir, 'fly17', records, split_indices(num, ratios, seed),
                             fly17_names(), fly17_skeleton(), 'fly')


def synthetic_fly_pairs(num: int, seed: int = 0) -> 'LabelSet':
    """Frames with two synthetic flies side by side (384 x 192: two rendered frames), each
    labelled with its 17 keypoints and its track (``left`` / ``right``): a tiny several-
    animal label set for tests and checks.

    Args:
        num (int): Number of frames.
        seed (int): Seed; the same seed gives the same frames. Defaults to ``0``.
    """
    from ..fileio.labels import LabelledFrame, LabelSet
    frames = []
    for index in range(num):
        rng = frame_rng(seed, index)
        (left, left_pose), (right, right_pose) = render_fly(rng), render_fly(rng)
        image = np.concatenate([left, right], axis=1)
        points = np.stack([left_pose.keypoints, right_pose.keypoints + [FRAME_SIZE, 0]])
        frames.append(LabelledFrame(image=lambda image=image: image,
                                    name=f'pairs/{index:05d}.png', group='pairs',
                                    where=f'synthetic pair {index}', instances=points,
                                    tracks=['left', 'right']))
    return LabelSet('synthetic fly pairs', fly17_names(), frames, fly17_skeleton())
