"""Test error on ``fly-crops`` with the pseudo-labels' drift taken out.

SLEAP's points drift against the frames over the two-fly video (benchmarks/README.md,
"Several animals"), so a fold of consecutive frames is scored against labels offset from the
ones its model trained on. For each ``tools/test.py --dump`` file of a fly-crops fold this
prints the mean and median error, the mean offset (prediction - label) of each 100 frames of
the video, and the same errors with those offsets taken out (two numbers per 100 frames).
:func:`without_drift` is also how ``bench_several_animals.py`` scores its clips.

    python tools/test.py CONFIG CHECKPOINT --dump predictions.json
    python benchmarks/drift_removed.py predictions.json [more.json ...]
"""
import argparse
import json
import re
from typing import Dict, Tuple

import numpy as np

FRAME = re.compile(r'(\d+)_fly[^/]*$')  # cv_sets.fly_crops names a crop <frame>_fly<track>
BLOCK = 100  # frames of the video an offset is taken over


def offsets_by_frame(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """The labelled points' video frames and offsets (prediction - label) in a dump file."""
    with open(path) as file:
        items = json.load(file)
    frames, offsets = [], []
    for item in items:
        match = FRAME.search(item['img_path'])
        if match is None:
            raise ValueError(f'{path}: {item["img_path"]} is not a fly-crops image '
                             '(<frame>_fly<track>.png)')
        visible = np.asarray(item['gt_visible']) > 0
        delta = np.asarray(item['keypoints'])[visible] - np.asarray(item['gt_keypoints'])[visible]
        frames += [int(match.group(1))] * len(delta)
        offsets.append(delta)
    return np.asarray(frames), np.concatenate(offsets)


def without_drift(frames: np.ndarray, differences: np.ndarray,
                  window: int = BLOCK) -> Tuple[np.ndarray, Dict[int, np.ndarray]]:
    """Distances once each ``window`` of frames' mean offset is taken out.

    Args:
        frames (np.ndarray): Video frame of each difference, shape (N,).
        differences (np.ndarray): Prediction - label, shape (N, 2), finite.
        window (int): Frames a mean offset is taken over (frames ``k * window`` on).

    Returns:
        Tuple[np.ndarray, Dict[int, np.ndarray]]: the distances, shape (N,), and each
        window's first frame -> its mean offset (x, y), in frame order.
    """
    blocks = frames // window
    offsets = {int(b) * window: differences[blocks == b].mean(0) for b in np.unique(blocks)}
    drift = np.array([offsets[int(b) * window] for b in blocks]).reshape(-1, 2)
    return np.linalg.norm(differences - drift, axis=1), offsets


def drift_removed(path: str) -> Dict[str, object]:
    """Errors of a dump file as they are and with each block's mean offset taken out."""
    frames, offsets = offsets_by_frame(path)
    kept, means = without_drift(frames, offsets)
    raw = np.linalg.norm(offsets, axis=1)
    return dict(points=len(raw), mean=raw.mean(), median=np.median(raw),
                mean_drift_removed=kept.mean(), median_drift_removed=np.median(kept),
                block_offsets={f'{start}-{start + BLOCK - 1}': m.round(2).tolist()
                               for start, m in means.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('dumps', nargs='+', help='tools/test.py --dump files')
    for path in parser.parse_args().dumps:
        result = drift_removed(path)
        print(f'{path}: {result["points"]} points, EPE {result["mean"]:.2f} (median '
              f'{result["median"]:.2f}) px; drift removed {result["mean_drift_removed"]:.2f} '
              f'(median {result["median_drift_removed"]:.2f}) px; mean offset x, y by frames: '
              f'{result["block_offsets"]}')


if __name__ == '__main__':
    main()
