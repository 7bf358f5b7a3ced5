"""Read a SLEAP labels file (``.slp``, ``.pkg.slp``) with sleap-io.

Frames come from the file itself (``.pkg.slp``, embedded images) or from the videos it
references; user-labelled instances are imported, predicted ones only when asked (and then
only those no user instance was made from).
"""
import os.path as osp
from typing import Callable, List, Optional

import numpy as np

from ...utils.optional_import import require
from .label_format import LabelFormat, LabelOption
from .label_set import LabelledFrame, LabelSet

sleap_io = require('sleap_io', 'labels')


def _frame_loader(labeled_frame, where: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        try:
            image = labeled_frame.image
        except Exception as error:  # any backend failure: name the frame and its video
            raise FileNotFoundError(f'{where}: cannot read the frame from '
                                    f'{labeled_frame.video.filename} ({error})') from error
        if image is None:
            raise FileNotFoundError(f'{where}: the frame is not in the file and its video '
                                    f'{labeled_frame.video.filename} cannot be opened')
        return np.asarray(image)
    return load


def _video_names(labels) -> List[str]:
    """A short unique folder name per video (its file stem, numbered when stems repeat)."""
    stems = []
    for video in labels.videos:
        filename = video.filename if isinstance(video.filename, str) else video.filename[0]
        stems.append(osp.basename(filename).split('.')[0] or 'video')
    return [stem if stems.count(stem) == 1 else f'{index}_{stem}'
            for index, stem in enumerate(stems)]


def parse_frames(text: str) -> Callable[[int], bool]:
    """``START:STOP[:STEP]`` (frame indices as Python slices them; START and STOP may be
    left out) as a test of a frame index.

    Raises:
        ValueError: Not two or three non-negative integers (or blanks) separated by colons,
            or a step under 1.
    """
    parts = text.split(':')
    try:
        if len(parts) not in (2, 3):
            raise ValueError
        start, stop, step = ([int(p) if p.strip() else None for p in parts] + [None])[:3]
    except ValueError:
        raise ValueError(f'--frames {text!r}: expected START:STOP[:STEP], e.g. 0:550:4') from None
    start, step = start or 0, 1 if step is None else step
    if start < 0 or (stop is not None and stop < 0) or step < 1:
        raise ValueError(f'--frames {text!r}: START and STOP must be >= 0 and STEP >= 1')
    return lambda index: (index >= start and (stop is None or index < stop)
                          and (index - start) % step == 0)


def read_slp(path: str, include_predicted: bool = False, tracks: Optional[List[str]] = None,
             frames: Optional[str] = None) -> LabelSet:
    """Read the labelled frames of a SLEAP file, with each instance's track.

    Args:
        path (str): The ``.slp`` / ``.pkg.slp`` file.
        include_predicted (bool): Also import predicted instances that no user instance
            replaces. Defaults to ``False``.
        tracks (List[str], optional): Import only the instances of these tracks (e.g. the
            two tracks that follow the animals, without short spurious ones).
        frames (str, optional): ``START:STOP[:STEP]``: import only these frame indices of
            each video.

    Returns:
        LabelSet: Node names, edges and symmetries of the skeleton; one frame per labelled
        frame with at least one imported instance; the instances' track names.

    Raises:
        FileNotFoundError: The file does not exist.
        ValueError: Not a SLEAP file, several skeletons, no user instance at all (and
            predictions not asked for), a track asked for that the file does not have, or a
            bad ``frames``.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist')
    chosen = parse_frames(frames) if frames else None
    try:
        labels = sleap_io.load_slp(path)
    except Exception as error:  # h5py / format errors of a file that is not a SLEAP file
        raise ValueError(f'{path}: not a readable SLEAP file ({error})') from error
    if len(labels.skeletons) != 1:
        raise ValueError(f'{path}: {len(labels.skeletons)} skeletons; one is supported')
    skeleton = labels.skeletons[0]
    names = list(skeleton.node_names)
    known = [track.name for track in labels.tracks]
    unknown = sorted(set(tracks or ()) - set(known))
    if unknown:
        raise ValueError(f'{path}: no track {unknown}; its tracks are {known}')
    video_names = _video_names(labels)
    read, num_user, num_predicted, off_track = [], 0, 0, 0
    for labeled_frame in labels.labeled_frames:
        if chosen is not None and not chosen(labeled_frame.frame_idx):
            continue
        instances = list(labeled_frame.user_instances)
        num_user += len(instances)
        predicted = list(labeled_frame.unused_predictions)
        num_predicted += len(predicted)
        if include_predicted:
            instances += predicted
        if tracks is not None:
            kept = [i for i in instances if i.track is not None and i.track.name in tracks]
            off_track += len(instances) - len(kept)
            instances = kept
        if not instances:
            continue
        video = video_names[labels.videos.index(labeled_frame.video)]
        where = f'{path}: video {video}, frame {labeled_frame.frame_idx}'
        read.append(LabelledFrame(
            image=_frame_loader(labeled_frame, where),
            name=f'{video}/{labeled_frame.frame_idx:06d}.png', group=video, where=where,
            instances=np.stack([np.asarray(i.numpy(), dtype=np.float64)[:, :2]
                                for i in instances]),
            tracks=[i.track.name if i.track is not None else None for i in instances]))
    if num_user == 0 and not include_predicted:
        raise ValueError(f'{path}: no user-labelled instances ({num_predicted} predicted); '
                         f'label frames in SLEAP first, or pass --include-predicted to import '
                         f'the predictions as labels')
    notes = [] if include_predicted or not num_predicted else [
        f'{num_predicted} predicted instances left out (--include-predicted imports them)']
    if off_track:
        notes.append(f'{off_track} instances on other tracks than {tracks} left out')
    return LabelSet(source=path, keypoint_names=names, frames=read,
                    links=[tuple(e) for e in skeleton.edge_inds],
                    flip_pairs=[tuple(s) for s in skeleton.symmetry_inds] or None, notes=notes)


SLEAP = LabelFormat(
    name='slp', description='a SLEAP .slp / .pkg.slp', read=read_slp, suffixes=('.slp',),
    options=(LabelOption('include_predicted', 'import predicted instances too',
                         is_flag=True),
             LabelOption('tracks', 'import only the instances of these tracks', nargs='+'),
             LabelOption('frames', 'import only the frames START:STOP[:STEP] of each video')))
