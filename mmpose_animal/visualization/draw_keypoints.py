"""Draw keypoints, their names and the skeleton on an image (for browsing datasets)."""
from typing import Optional

import cv2
import numpy as np


def draw_keypoints(image: np.ndarray, keypoints: np.ndarray, visible: np.ndarray,
                   metainfo: dict, show_names: bool = True,
                   heatmap: Optional[np.ndarray] = None) -> np.ndarray:
    """Return a BGR copy of ``image`` with one instance drawn on it.

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
    scale = max(1, round(max(canvas.shape[:2]) / 256))
    points = [tuple(int(round(v)) for v in point) for point in keypoints]
    shown = np.asarray(visible).reshape(-1) > 0
    link_colors = metainfo.get('skeleton_link_colors')
    for index, (a, b) in enumerate(metainfo.get('skeleton_links', [])):
        if shown[a] and shown[b]:
            color = tuple(int(c) for c in link_colors[index][::-1])
            cv2.line(canvas, points[a], points[b], color, scale, cv2.LINE_AA)
    names = metainfo.get('keypoint_id2name', {})
    for k, point in enumerate(points):
        if not shown[k]:
            continue
        color = tuple(int(c) for c in metainfo['keypoint_colors'][k][::-1])
        cv2.circle(canvas, point, 2 * scale, color, -1, cv2.LINE_AA)
        if show_names:
            cv2.putText(canvas, str(names.get(k, k)), (point[0] + 3, point[1] - 3),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.3 * scale, color, 1, cv2.LINE_AA)
    return canvas
