"""A picture of a whole experiment: which videos, and where in them, need attention."""
from typing import Dict, List, Sequence, Tuple

import numpy as np

from ..utils.atomic_files import atomic_path

BINS = 200  # a video's length is shown in this many steps


def plot_experiment(videos: Sequence[Tuple[str, str, float]],
                    confidence: Dict[str, np.ndarray], path: str) -> str:
    """One row per video: its per-frame mean confidence over its length (dark: unsure;
    grey: failed), and beside it the share of its points under the confidence cut. Writes
    a PNG atomically.

    Args:
        videos (Sequence[Tuple[str, str, float]]): ``(name, status, share under the cut)``.
        confidence (Dict[str, np.ndarray]): Name -> (T,) per-frame mean confidence.
        path (str): The PNG to write.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = max(len(videos), 1)
    strips = np.full((rows, BINS), np.nan)
    for row, (name, _, _) in enumerate(videos):
        values = confidence.get(name)
        if values is not None and len(values):
            edges = np.linspace(0, len(values), BINS + 1).astype(int)
            strips[row] = [np.nanmean(values[a:max(b, a + 1)]) for a, b in
                           zip(edges[:-1], edges[1:])]
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(12, 1.2 + 0.28 * rows), gridspec_kw=dict(width_ratios=(4, 1)),
        sharey=True)
    image = left.imshow(np.clip(strips, 0, 1), aspect='auto', cmap='viridis', vmin=0, vmax=1,
                        interpolation='nearest', extent=(0, 1, rows - 0.5, -0.5))
    labels: List[str] = []
    for row, (name, status, _) in enumerate(videos):
        labels.append(name if status != 'failed' else f'{name} (failed)')
        if status == 'failed':
            left.axhspan(row - 0.5, row + 0.5, color='0.75')
    left.set_yticks(range(len(videos)), labels, fontsize=7)
    left.set_xlabel('position in the video')
    left.set_title('mean keypoint confidence per frame', fontsize=9)
    figure.colorbar(image, ax=left, fraction=0.03, pad=0.01)
    shares = [share if status != 'failed' else 0 for _, status, share in videos]
    right.barh(range(len(videos)), np.nan_to_num(shares), color='tab:red')
    right.set_xlim(0, 1)
    right.set_xlabel('share of points under the cut')
    figure.tight_layout()
    with atomic_path(path, '.tmp.png') as partial:
        figure.savefig(partial, dpi=90)
    plt.close(figure)
    return path
