"""A :class:`PoseSequence` on disk: ``.npz`` arrays and a JSON description, no pickle, with a
fingerprint of the video it was predicted on."""
import hashlib
import json
import os.path as osp
from typing import Optional

import numpy as np

from ..structures import PoseSequence

FINGERPRINT_BYTES = 1 << 20  # the video's size and the hash of its first MiB identify it


def video_fingerprint(path: str) -> Optional[str]:
    """``<size>:<sha1 of the first MiB>`` of a file, or None when it is not one."""
    if not osp.isfile(path):
        return None
    with open(path, 'rb') as file:
        head = hashlib.sha1(file.read(FINGERPRINT_BYTES)).hexdigest()
    return f'{osp.getsize(path)}:{head}'


def save_sequence(sequence: PoseSequence, path: str) -> str:
    """Write ``sequence`` to ``path`` (``.npz``): its arrays and its description (with the
    video's fingerprint) as JSON text."""
    meta = dict(source=osp.abspath(sequence.source), is_video=sequence.is_video,
                keypoint_names=list(sequence.keypoint_names),
                links=[list(map(int, link)) for link in sequence.links],
                flip_pairs=[list(map(int, pair)) for pair in sequence.flip_pairs],
                fps=sequence.fps, frame_size=sequence.frame_size,
                image_paths=[osp.abspath(p) for p in sequence.image_paths],
                track_names=list(sequence.track_names),
                fingerprint=video_fingerprint(sequence.source) if sequence.is_video else None)
    identities = ({} if sequence.identity_scores is None
                  else dict(identity_scores=sequence.identity_scores))
    with open(path, 'wb') as file:
        np.savez_compressed(file, keypoints=sequence.keypoints, scores=sequence.scores,
                            boxes=sequence.boxes, meta=np.array(json.dumps(meta)),
                            **identities)
    return path


def load_sequence(path: str, source: Optional[str] = None,
                  num_frames: Optional[int] = None) -> PoseSequence:
    """Read a sequence written by :func:`save_sequence`.

    Args:
        path (str): The ``.npz`` file.
        source (str, optional): The video it must be of: the same content (size and first
            MiB), wherever the file lies now; by file name when the saved sequence has no
            fingerprint.
        num_frames (int, optional): The frame count it must have.

    Raises:
        ValueError: Not such a file, or predictions of another video or length (naming
            both).
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in ('keypoints', 'scores', 'boxes',
                                                 'identity_scores') if key in data}
            meta = json.loads(str(data['meta']))
    except (OSError, KeyError, ValueError) as error:
        raise ValueError(f'{path}: not a predictions file of tools/infer.py ({error})') from error
    fingerprint = meta.pop('fingerprint', None)
    if source is not None:
        other = (video_fingerprint(source) != fingerprint if fingerprint
                 else osp.basename(meta['source']) != osp.basename(source))
        if other:
            raise ValueError(f'{path} holds predictions of {meta["source"]}, not of {source} '
                             f'(their contents differ)')
    frames = len(arrays['scores'])
    if num_frames is not None and frames != num_frames:
        raise ValueError(f'{path} holds {frames} frames, but {source or "the video"} has '
                         f'{num_frames}: predictions of another video?')
    meta['links'] = [tuple(link) for link in meta['links']]
    meta['flip_pairs'] = [tuple(pair) for pair in meta['flip_pairs']]
    meta['frame_size'] = tuple(meta['frame_size']) if meta['frame_size'] else None
    return PoseSequence(**arrays, **meta)
