"""The real labelled sets the defaults are decided on, as label sets, and their k-fold splits.

- ``openfield``: DeepLabCut's Openfield example (116 frames, 640x480, one mouse spanning ~17 %
  of the frame, 4 keypoints).
- ``openfield-mixed``: the same frames made into a project like the one the crop default
  failed on (issue 30): every second frame 1.3x larger (832x624) and the tail base labelled in
  only 30 % of the frames: two frame sizes and a rarely labelled part.
- ``lp-mirror``: Lightning Pose's mirror-mouse example (90 frames, 396x406, two views, 17
  keypoints, the animal filling the frame, 9 % of the points not labelled).
- ``fly-crops``: SLEAP's predictions on the two-fly video as pseudo-labels, one fly per
  192x192 crop around it (jittered): 100 frames evenly over the video, 200 crops, 24
  keypoints; folds are blocks of consecutive frames, so neighbouring frames never cross a
  fold.
- ``synthetic-fly``: the quickstart's synthetic flies (a check, not a decision).
"""
import os.path as osp
from typing import Callable, Dict, List

import cv2
import numpy as np

from mmpose_animal.data_tools import make_synthetic_fly17
from mmpose_animal.fileio.labels import LabelledFrame, LabelSet, read_labels

SHARED = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'shared',
                  'data')
MIXED_SCALE = 1.3  # every second Openfield frame is this much larger
RARE_SHARE = 0.3  # openfield-mixed: share of the frames whose tail base stays labelled
FLY_CROP, FLY_JITTER, FLY_FRAMES = 192, 24, 100


def openfield() -> LabelSet:
    return read_labels(osp.join(SHARED, 'dlc-openfield'))


def _scaled_loader(path: str, scale: float) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        image = cv2.imread(path, cv2.IMREAD_COLOR)[..., ::-1]
        return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
    return load


def openfield_mixed() -> LabelSet:
    source = openfield()
    rng = np.random.default_rng(0)
    tail = source.keypoint_names.index('tailbase')
    frames = []
    for index, frame in enumerate(source.frames):
        scale = MIXED_SCALE if index % 2 else 1.0
        points = (frame.instances + 0.5) * scale - 0.5
        if rng.random() > RARE_SHARE:
            points[:, tail] = np.nan
        frames.append(LabelledFrame(image=_scaled_loader(frame.image, scale), name=frame.name,
                                    group=frame.group, where=frame.where, instances=points))
    return LabelSet(source.source + ' (mixed sizes, rare tail base)', source.keypoint_names,
                    frames, source.links)


def lp_mirror() -> LabelSet:
    return read_labels(osp.join(SHARED, 'lp-mirror-mouse'))


def fly_crops() -> LabelSet:
    import sleap_io
    folder = osp.join(SHARED, 'sleap-centered-pair')
    labels = sleap_io.load_slp(osp.join(folder, 'centered_pair_predictions.slp'))
    video = osp.join(folder, 'centered_pair_low_quality.mp4')
    skeleton = labels.skeletons[0]
    by_frame = {lf.frame_idx: lf for lf in labels.labeled_frames}
    wanted = np.linspace(0, len(by_frame) - 1, FLY_FRAMES).round().astype(int)
    images = _video_frames(video, set(wanted.tolist()))
    rng = np.random.default_rng(0)
    frames = []
    for frame_idx in wanted:
        for instance in by_frame[frame_idx].instances:
            if instance.track is None or instance.track.name not in ('1', '2'):
                continue
            points = np.asarray(instance.numpy(), np.float64)[:, :2]
            centre = np.nanmedian(points, axis=0) + rng.uniform(-FLY_JITTER, FLY_JITTER, 2)
            image = images[frame_idx]
            x0, y0 = np.clip(np.round(centre - FLY_CROP / 2).astype(int), 0,
                             np.array(image.shape[1::-1]) - FLY_CROP)
            crop = image[y0:y0 + FLY_CROP, x0:x0 + FLY_CROP].copy()
            inside = points - [x0, y0]
            inside[((inside < 0) | (inside > FLY_CROP - 1)).any(1)] = np.nan  # cut off
            name = f'{frame_idx:04d}_fly{instance.track.name}.png'
            frames.append(LabelledFrame(
                image=lambda crop=crop: crop, name=f'flies/{name}', group=f'{frame_idx:04d}',
                where=f'centered_pair_predictions.slp: frame {frame_idx}, track '
                f'{instance.track.name}', instances=inside[None]))
    return LabelSet(folder + ' (one fly per crop)', list(skeleton.node_names), frames,
                    [tuple(e) for e in skeleton.edge_inds])


def _video_frames(path: str, wanted: set) -> Dict[int, np.ndarray]:
    capture, frames, index = cv2.VideoCapture(path), {}, 0
    while len(frames) < len(wanted):
        ok, frame = capture.read()
        if not ok:
            raise ValueError(f'{path}: ended at frame {index}')
        if index in wanted:
            frames[index] = frame[..., ::-1].copy()
        index += 1
    capture.release()
    return frames


def synthetic_fly(work_dir: str) -> LabelSet:
    root = osp.join(work_dir, 'synthetic_fly_source')
    if not osp.isdir(root):
        make_synthetic_fly17(root, num=120, seed=0)
    frames = []
    for split in ('train', 'val', 'test'):
        frames += read_labels(osp.join(root, 'annotations', f'fly17_{split}.json'),
                              image_root=osp.join(root, 'images')).frames
    first = read_labels(osp.join(root, 'annotations', 'fly17_train.json'),
                        image_root=osp.join(root, 'images'))
    return LabelSet(root, first.keypoint_names, frames, first.links, first.flip_pairs)


SETS = {'openfield': openfield, 'openfield-mixed': openfield_mixed, 'lp-mirror': lp_mirror,
        'fly-crops': fly_crops, 'synthetic-fly': synthetic_fly}
# sets whose frames come from one video in order: folds are blocks of consecutive frames
BLOCK_FOLDS = ('fly-crops',)


def fold_groups(groups: List[str], folds: int, blocks: bool, seed: int = 0) -> List[int]:
    """The fold of each frame group: random (``seed``) or, with ``blocks``, consecutive
    blocks of the sorted groups."""
    unique = sorted(set(groups))
    order = np.arange(len(unique)) if blocks else np.random.default_rng(seed).permutation(
        len(unique))
    fold_of = {unique[g]: int(rank * folds // len(unique)) for rank, g in enumerate(order)}
    return [fold_of[g] for g in groups]
