"""Write frames to label, with the model's guesses, as the lab's own labelling tool opens them.

- DeepLabCut: frames into ``labeled-data/<video>/img<frame>.png`` of a project, the guesses as
  ``machinelabels-iter<k>.h5`` (what DeepLabCut's refine step and napari-deeplabcut read), the
  video added to ``config.yaml``'s ``video_sets``; a minimal project is created when none is
  given (multi-animal, with the tracks as individuals, when the predictions hold several).
- SLEAP: a ``.slp`` with the frames as suggestions and the guesses as predicted instances
  (with their tracks).

Nothing that exists is overwritten: an image already in the project is kept (and noted), and
the guesses of frames already in ``machinelabels`` are kept.
"""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np

from ..fileio.deeplabcut import (image_name, new_project_config, project_bodyparts,
                                 read_project_config, table_columns, write_project_config)
from ..fileio.prediction_files import sleap_labels
from ..structures import PoseSequence
from ..utils.optional_import import require

pd = require('pandas', 'labels')
sleap_io = require('sleap_io', 'labels')


def machine_table(sequence: PoseSequence, frames: Sequence[int], video_stem: str,
                  individuals: Optional[Sequence[str]] = None) -> 'pd.DataFrame':
    """The guesses of ``frames`` as DeepLabCut's machine labels: rows ``(labeled-data,
    <video>, img<frame>.png)``, columns scorer / (individuals /) bodyparts / x, y,
    likelihood; a guess outside the frame is left empty (NaN), as an unlabelled point."""
    index = pd.MultiIndex.from_tuples(
        [('labeled-data', video_stem, image_name(f, sequence.num_frames)) for f in frames])
    values = np.concatenate([sequence.keypoints, sequence.scores[..., None]], axis=-1)[
        list(frames)].astype(np.float64)
    if sequence.frame_size is not None:  # a guess off the frame is none: the lab places it
        width, height = sequence.frame_size
        x, y = values[..., 0], values[..., 1]
        values[(x < 0) | (y < 0) | (x >= width) | (y >= height)] = np.nan
    if individuals is None:
        values = values[:, 0]
    else:
        values = values[:, :len(individuals)]
        if values.shape[1] < len(individuals):
            pad = np.full((len(frames), len(individuals) - values.shape[1]) + values.shape[2:],
                          np.nan)
            values = np.concatenate([values, pad], axis=1)
    columns = table_columns(sequence.keypoint_names, individuals)
    return pd.DataFrame(values.reshape(len(frames), -1), index=index, columns=columns)


def write_dlc_job(sequence: PoseSequence, frames: Sequence[int], images: Dict[int, np.ndarray],
                  project: str, create: bool = False) -> Tuple[List[str], List[str]]:
    """Add ``frames`` of the sequence's video to a DeepLabCut project as a labelling job.

    Args:
        sequence (PoseSequence): The video's predictions (its guesses go to machinelabels).
        frames (Sequence[int]): The frame indices to label.
        images (Dict[int, np.ndarray]): Those frames, BGR.
        project (str): The project folder.
        create (bool): Create a minimal project when the folder has no config.yaml
            (multi-animal when the sequence holds several instances). Defaults to
            ``False``.

    Returns:
        tuple: (files written, notes about what was kept as it was).

    Raises:
        ValueError: The project's body parts are not the model's keypoints.
    """
    config_path = osp.join(project, 'config.yaml')
    if create and not osp.isfile(config_path):
        os.makedirs(project, exist_ok=True)
        individuals = sequence.instance_names if sequence.num_instances > 1 else None
        config = new_project_config(project, sequence.keypoint_names, sequence.links,
                                    individuals)
    else:
        config = read_project_config(project)
    bodyparts, multi = project_bodyparts(config, config_path)
    if bodyparts != list(sequence.keypoint_names):
        raise ValueError(f'{config_path}: body parts {bodyparts} are not the model\'s '
                         f'keypoints {list(sequence.keypoint_names)}')
    stem = sequence.stem
    folder = osp.join(project, 'labeled-data', stem)
    os.makedirs(folder, exist_ok=True)
    written, notes = [], []
    for frame in frames:
        path = osp.join(folder, image_name(frame, sequence.num_frames))
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
    video_sets = config.get('video_sets') or {}
    config['video_sets'] = video_sets
    width, height = sequence.frame_size or (0, 0)
    video_path = osp.abspath(sequence.source)
    if video_path not in video_sets:
        video_sets[video_path] = {'crop': f'0, {width}, 0, {height}'}
    written.append(write_project_config(project, config))
    return written, notes


def write_sleap_job(sequences: Sequence[PoseSequence], frames: Sequence[Sequence[int]],
                    path: str) -> str:
    """A SLEAP labels file with the chosen frames as suggestions and the model's guesses on
    them as predicted instances (one video per sequence, tracks kept).

    Args:
        sequences (Sequence[PoseSequence]): The videos' predictions.
        frames (Sequence[Sequence[int]]): Per video, the frames to label.
        path (str): The ``.slp`` to write (refused when it exists).
    """
    if osp.exists(path):
        raise FileExistsError(f'{path} exists; choose another --out')
    labels = sleap_labels(sequences, frames)
    labels.suggestions = [sleap_io.SuggestionFrame(video=video, frame_idx=int(frame))
                          for video, chosen in zip(labels.videos, frames) for frame in chosen]
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    sleap_io.save_slp(labels, path, verbose=False)
    return path
