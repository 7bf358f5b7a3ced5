"""Draw animals on an image: their keypoints, skeletons and names. One function draws for
dataset browsing (the metainfo's colours) and for video overlays (one colour per body part
for one animal, one per identity for several)."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

Color = Tuple[int, int, int]


def palette(count: int) -> list:
    """``count`` distinct BGR colours (hues spread over the circle, bright)."""
    hues = (np.arange(max(count, 1)) * 180 / max(count, 1)).astype(np.uint8)
    hsv = np.stack([hues, np.full_like(hues, 220), np.full_like(hues, 255)], -1)[None]
    return [tuple(int(c) for c in bgr) for bgr in cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)[0]]


def draw_instances(image: np.ndarray, keypoints: np.ndarray, shown: np.ndarray,
                   links: Sequence[Tuple[int, int]] = (),
                   keypoint_colors: Optional[Sequence[Color]] = None,
                   link_colors: Optional[Sequence[Color]] = None,
                   instance_colors: Optional[Sequence[Color]] = None,
                   keypoint_names: Optional[Sequence[str]] = None,
                   instance_names: Optional[Sequence[str]] = None) -> np.ndarray:
    """Draw each instance's shown points and the skeleton edges between them, in place.

    Each point takes its instance's colour when ``instance_colors`` are given (several
    animals: who is who), else its keypoint's colour (one animal: which part is which).

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR, drawn on.
        keypoints (np.ndarray): (N, K, 2) pixel coordinates.
        shown (np.ndarray): (N, K) bool, the points to draw (NaN points never are).
        links (Sequence[Tuple[int, int]]): Skeleton edges (keypoint indices).
        keypoint_colors (Sequence[Color], optional): K BGR colours. Defaults to
            :func:`palette`.
        link_colors (Sequence[Color], optional): One per link. Defaults to the colour of
            the link's first point.
        instance_colors (Sequence[Color], optional): N BGR colours.
        keypoint_names (Sequence[str], optional): Written beside each point.
        instance_names (Sequence[str], optional): Written above each instance.

    Returns:
        np.ndarray: ``image``.
    """
    keypoints = np.asarray(keypoints, dtype=np.float64).reshape(-1, *np.shape(keypoints)[-2:])
    shown = np.asarray(shown, dtype=bool).reshape(keypoints.shape[:2])
    shown &= np.isfinite(keypoints).all(-1)
    num_keypoints = keypoints.shape[1]
    keypoint_colors = list(keypoint_colors or palette(num_keypoints))
    scale = max(1, round(max(image.shape[:2]) / 256))
    radius = max(2, int(round(max(image.shape[:2]) / 160)))
    for n, (points, visible) in enumerate(zip(keypoints, shown)):
        pixels = [tuple(int(round(v)) for v in point) if ok else None
                  for point, ok in zip(points, visible)]
        colors = ([instance_colors[n]] * num_keypoints if instance_colors else keypoint_colors)
        for index, (a, b) in enumerate(links):
            if visible[a] and visible[b]:
                color = (instance_colors[n] if instance_colors else
                         link_colors[index] if link_colors else colors[a])
                cv2.line(image, pixels[a], pixels[b], color, scale, cv2.LINE_AA)
        for k, pixel in enumerate(pixels):
            if pixel is None:
                continue
            cv2.circle(image, pixel, radius, colors[k], -1, cv2.LINE_AA)
            if keypoint_names:
                cv2.putText(image, str(keypoint_names[k]), (pixel[0] + 3, pixel[1] - 3),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.3 * scale, colors[k], 1, cv2.LINE_AA)
        if instance_names and visible.any():
            top = points[visible].min(0)
            cv2.putText(image, str(instance_names[n]), (int(top[0]), int(top[1]) - 2 * radius),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.4 * scale, colors[0], 1, cv2.LINE_AA)
    return image


def draw_keypoints(image: np.ndarray, keypoints: np.ndarray, visible: np.ndarray,
                   metainfo: dict, show_names: bool = True,
                   heatmap: Optional[np.ndarray] = None) -> np.ndarray:
    """Return a BGR copy of ``image`` with one labelled instance drawn in the metainfo's
    colours (for browsing datasets).

    Args:
        image (np.ndarray): (H, W, 3) uint8 BGR image (or (H, W) grayscale).
        keypoints (np.ndarray): (K, 2) pixel coordinates.
        visible (np.ndarray): (K,) visibility; keypoints at 0 are not drawn.
        metainfo (dict): Parsed mmpose metainfo (``keypoint_colors``, ``skeleton_links``,
            ``skeleton_link_colors``, ``keypoint_id2name``).
        show_names (bool): Write each keypoint's name beside it. Defaults to ``True``.
        heatmap (np.ndarray, optional): (K, h, w) target heatmaps; their maximum is blended
            over the image.

    Returns:
        np.ndarray: The drawn (H, W, 3) uint8 BGR image.
    """
    canvas = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image.copy()
    if heatmap is not None:
        peak = cv2.resize(np.clip(heatmap.max(axis=0), 0, 1), canvas.shape[1::-1])
        colored = cv2.applyColorMap((peak * 255).astype(np.uint8), cv2.COLORMAP_JET)
        canvas = cv2.addWeighted(canvas, 0.6, colored, 0.4, 0)

    def bgr(colors) -> Optional[list]:
        return None if colors is None else [tuple(int(c) for c in rgb[::-1]) for rgb in colors]
    names = metainfo.get('keypoint_id2name', {})
    return draw_instances(
        canvas, np.asarray(keypoints)[None], np.asarray(visible).reshape(1, -1) > 0,
        metainfo.get('skeleton_links', []), bgr(metainfo['keypoint_colors']),
        bgr(metainfo.get('skeleton_link_colors')),
        keypoint_names=[names.get(k, k) for k in range(len(keypoints))] if show_names
        else None)
