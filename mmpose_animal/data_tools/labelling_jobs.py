"""Write frames to label, with the model's guesses, as the lab's own labelling tool opens them.

- DeepLabCut: frames into ``labeled-data/<video>/img<frame>.png`` of a project, the guesses as
  ``machinelabels-iter<k>.h5`` (what DeepLabCut's refine step and napari-deeplabcut read), the
  video added to ``config.yaml``'s ``video_sets``; a minimal project is created when none is
  given.
- SLEAP: a ``.slp`` with the frames as suggestions and the guesses as predicted instances.

Nothing that exists is overwritten: an image already in the project is kept (and noted), and
the guesses of frames already in ``machinelabels`` are kept.
"""
import datetime
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..apis.pose_sequence import PoseSequence
from ..utils.optional_import import require

pd = require('pandas', 'labels')
yaml = require('yaml', 'labels')
sleap_io = require('sleap_io', 'labels')

MACHINE_SCORER = 'mmpose-animal'


def dlc_image_name(frame: int, num_frames: int) -> str:
    """``img<frame>.png``, zero-padded to the digits of the frame count (DeepLabCut's)."""
    width = max(1, int(np.ceil(np.log10(max(num_frames, 2)))))
    return f'img{str(frame).zfill(width)}.png'


def new_dlc_config(project: str, names: Sequence[str], links: Sequence[Tuple[int, int]],
                   scorer: str) -> dict:
    """The config.yaml of a new single-animal DeepLabCut project."""
    return {
        'Task': osp.basename(osp.abspath(project)), 'scorer': scorer,
        'date': datetime.date.today().strftime('%b%d'), 'multianimalproject': False,
        'identity': None, 'project_path': osp.abspath(project), 'engine': 'pytorch',
        'video_sets': {}, 'bodyparts': list(names), 'start': 0, 'stop': 1,
        'numframes2pick': 20,
        'skeleton': [[names[a], names[b]] for a, b in links], 'skeleton_color': 'black',
        'pcutoff': 0.6, 'dotsize': 12, 'alphavalue': 0.7, 'colormap': 'rainbow',
        'TrainingFraction': [0.95], 'iteration': 0, 'default_net_type': 'resnet_50',
        'default_augmenter': 'default', 'snapshotindex': -1, 'batch_size': 8,
        'cropping': False, 'x1': 0, 'x2': 640, 'y1': 277, 'y2': 624, 'corner2move2': [50, 50],
        'move2corner': True,
    }


def read_dlc_config(project: str) -> dict:
    """A project's config.yaml.

    Raises:
        FileNotFoundError: The folder has no config.yaml.
    """
    path = osp.join(project, 'config.yaml')
    if not osp.isfile(path):
        raise FileNotFoundError(f'{project}: no config.yaml; give a DeepLabCut project folder '
                                f'(or none, to create one)')
    with open(path) as file:
        return yaml.safe_load(file) or {}


def machine_table(sequence: PoseSequence, frames: Sequence[int], video_stem: str,
                  individuals: Optional[Sequence[str]] = None) -> 'pd.DataFrame':
    """The guesses of ``frames`` as DeepLabCut's machine labels: rows ``(labeled-data,
    <video>, img<frame>.png)``, columns scorer / (individuals /) bodyparts / x, y,
    likelihood; a guess outside the frame is left empty (NaN), as an unlabelled point."""
    names = sequence.keypoint_names
    index = pd.MultiIndex.from_tuples(
        [('labeled-data', video_stem, dlc_image_name(f, sequence.num_frames)) for f in frames])
    values = np.concatenate([sequence.keypoints, sequence.scores[..., None]], axis=-1)[
        list(frames)].astype(np.float64)
    if sequence.frame_size is not None:  # a guess off the frame is none: the lab places it
        width, height = sequence.frame_size
        x, y = values[..., 0], values[..., 1]
        values[(x < 0) | (y < 0) | (x >= width) | (y >= height)] = np.nan
    if individuals is None:
        columns = pd.MultiIndex.from_product([[MACHINE_SCORER], names, ['x', 'y', 'likelihood']],
                                             names=['scorer', 'bodyparts', 'coords'])
        values = values[:, 0]
    else:
        values = values[:, :len(individuals)]
        if values.shape[1] < len(individuals):
            pad = np.full((len(frames), len(individuals) - values.shape[1]) + values.shape[2:],
                          np.nan)
            values = np.concatenate([values, pad], axis=1)
        columns = pd.MultiIndex.from_product(
            [[MACHINE_SCORER], list(individuals), names, ['x', 'y', 'likelihood']],
            names=['scorer', 'individuals', 'bodyparts', 'coords'])
    return pd.DataFrame(values.reshape(len(frames), -1), index=index, columns=columns)


def write_dlc_job(sequence: PoseSequence, frames: Sequence[int], images: Dict[int, np.ndarray],
                  project: str, create: bool = False) -> Tuple[List[str], List[str]]:
    """Add ``frames`` of the sequence's video to a DeepLabCut project as a labelling job.

    Args:
        sequence (PoseSequence): The video's predictions (its guesses go to machinelabels).
        frames (Sequence[int]): The frame indices to label.
        images (Dict[int, np.ndarray]): Those frames, BGR.
        project (str): The project folder.
        create (bool): Create a minimal project when the folder has no config.yaml.
            Defaults to ``False``.

    Returns:
        tuple: (files written, notes about what was kept as it was).

    Raises:
        ValueError: The project's body parts are not the model's keypoints.
    """
    if create and not osp.isfile(osp.join(project, 'config.yaml')):
        os.makedirs(project, exist_ok=True)
        config = new_dlc_config(project, sequence.keypoint_names, sequence.links,
                                MACHINE_SCORER)
    else:
        config = read_dlc_config(project)
    multi = bool(config.get('multianimalproject'))
    bodyparts = list(config.get('multianimalbodyparts' if multi else 'bodyparts') or [])
    if bodyparts != list(sequence.keypoint_names):
        raise ValueError(f'{osp.join(project, "config.yaml")}: body parts {bodyparts} are not '
                         f"the model's keypoints {list(sequence.keypoint_names)}")
    stem = sequence.stem
    folder = osp.join(project, 'labeled-data', stem)
    os.makedirs(folder, exist_ok=True)
    written, notes = [], []
    for frame in frames:
        path = osp.join(folder, dlc_image_name(frame, sequence.num_frames))
        if osp.exists(path):
            notes.append(f'{path} exists: kept as it is')
            continue
        if not cv2.imwrite(path, images[frame]):
            raise OSError(f'cannot write {path}')
        written.append(path)
    individuals = list(config.get('individuals') or []) if multi else None
    table = machine_table(sequence, frames, stem, individuals or None)
    machine = osp.join(folder, f'machinelabels-iter{int(config.get("iteration", 0))}.h5')
    if osp.isfile(machine):
        earlier = pd.read_hdf(machine, key='df_with_missing')
        table = pd.concat([earlier, table[~table.index.isin(earlier.index)]])
        notes += [f'{machine}: guesses of {len(earlier)} earlier frames kept']
    table.to_hdf(machine, key='df_with_missing', mode='w')  # as DeepLabCut writes them
    table.to_csv(osp.join(folder, 'machinelabels.csv'))
    written += [machine, osp.join(folder, 'machinelabels.csv')]
    video_sets = config.setdefault('video_sets', {}) or {}
    config['video_sets'] = video_sets
    width, height = sequence.frame_size or (0, 0)
    video_path = osp.abspath(sequence.source)
    if video_path not in video_sets:
        video_sets[video_path] = {'crop': f'0, {width}, 0, {height}'}
    with open(osp.join(project, 'config.yaml'), 'w') as file:
        yaml.safe_dump(config, file, sort_keys=False)
    written.append(osp.join(project, 'config.yaml'))
    return written, notes


def write_sleap_job(sequences: Sequence[PoseSequence], frames: Sequence[Sequence[int]],
                    path: str) -> str:
    """A SLEAP labels file with the chosen frames as suggestions and the model's guesses on
    them as predicted instances (one video per sequence).

    Args:
        sequences (Sequence[PoseSequence]): The videos' predictions.
        frames (Sequence[Sequence[int]]): Per video, the frames to label.
        path (str): The ``.slp`` to write (refused when it exists).
    """
    from ..apis.prediction_export import predicted_instances, sleap_skeleton, sleap_video
    if osp.exists(path):
        raise FileExistsError(f'{path} exists; choose another --out')
    skeleton = sleap_skeleton(sequences[0])
    videos, labeled, suggestions = [], [], []
    for sequence, chosen in zip(sequences, frames):
        video = sleap_video(sequence)
        videos.append(video)
        for frame in chosen:
            suggestions.append(sleap_io.SuggestionFrame(video=video, frame_idx=int(frame)))
            instances = predicted_instances(sequence, frame, skeleton)
            if instances:
                labeled.append(sleap_io.LabeledFrame(video=video, frame_idx=int(frame),
                                                     instances=instances))
    labels = sleap_io.Labels(labeled_frames=labeled, videos=videos, skeletons=[skeleton],
                             suggestions=suggestions)
    sleap_io.save_slp(labels, path, verbose=False)
    return path
