"""tools/label_next.py on real frames: frames to label into a DeepLabCut project or a SLEAP
file, read back by pandas, sleap-io and our importer; the labels back in with --update."""
import os
import os.path as osp
import shutil

import numpy as np
import pandas as pd
import pytest
import sleap_io
import yaml

from mmpose_animal.fileio.labels import read_labels, write_dataset
from ..conftest import write_real_clip
from ..test_fileio.label_sources import SHARED_DLC
from .conftest import run_tool

VIDEO = osp.join(SHARED_DLC, 'videos', 'm3v1mp4.mp4')
pytestmark = pytest.mark.skipif(not osp.isfile(VIDEO), reason='the real video is not here')


@pytest.fixture(scope='module')
def clip(tmp_path_factory) -> str:
    """60 real frames, with frame 20 dropped to black and frame 40 upside down."""
    return write_real_clip(str(tmp_path_factory.mktemp('clip') / 'mouse.mp4'), 60,
                           {20: 'black', 40: 'flipped'})


def test_a_new_dlc_project_gets_frames_guesses_and_config(trained_run, clip, tmp_path):
    config, work_dir = trained_run
    project = tmp_path / 'job'
    result = run_tool('tools/label_next.py', config, osp.join(work_dir, 'epoch_2.pth'), clip,
                      '--num', '4', '--out', str(project))
    picks = [line for line in result.stdout.splitlines() if line.startswith('mouse.mp4 frame')]
    assert len(picks) == 4 and all('outlier score' in line for line in picks)
    frames = sorted(int(line.split()[2].rstrip(':')) for line in picks)
    assert min(np.diff(frames)) >= 10  # never two picks a few frames apart
    folder = project / 'labeled-data' / 'mouse'
    assert sorted(os.listdir(folder)) == sorted(
        [f'img{f:02d}.png' for f in frames] + ['machinelabels-iter0.h5', 'machinelabels.csv'])
    table = pd.read_hdf(folder / 'machinelabels-iter0.h5', key='df_with_missing')
    assert list(table.index) == [('labeled-data', 'mouse', f'img{f:02d}.png') for f in frames]
    assert list(table.columns.names) == ['scorer', 'bodyparts', 'coords']
    assert table.shape == (4, 17 * 3)
    labels = sleap_io.load_dlc(str(folder / 'machinelabels.csv'), config=False)
    assert len(labels.labeled_frames) == 4
    with open(project / 'config.yaml') as file:
        config_yaml = yaml.safe_load(file)
    assert config_yaml['bodyparts'][0] == 'head' and len(config_yaml['bodyparts']) == 17
    assert config_yaml['video_sets'] == {osp.abspath(clip): {'crop': '0, 640, 0, 480'}}
    assert 'predict + post-process + score' in result.stdout


def test_saved_predictions_of_another_video_are_refused(trained_run, clip, tmp_path):
    config, work_dir = trained_run
    checkpoint = osp.join(work_dir, 'epoch_2.pth')
    run_tool('tools/infer.py', config, checkpoint, clip, '--out-dir', str(tmp_path / 'infer'),
             '--no-overlay', '--no-plots')
    saved = str(tmp_path / 'infer' / 'mouse.sequence.npz')
    other = write_real_clip(str(tmp_path / 'other.mp4'), 60)  # without the broken frames
    result = run_tool('tools/label_next.py', config, checkpoint, other, '--num', '2', '--out',
                      str(tmp_path / 'job'), '--predictions', saved, check=False)
    assert result.returncode != 0
    assert 'holds predictions of' in result.stderr and 'not of' in result.stderr
    reused = run_tool('tools/label_next.py', config, checkpoint, clip, '--num', '2', '--out',
                      str(tmp_path / 'job2'), '--predictions', saved)
    assert reused.stdout.count('mouse.mp4 frame') == 2


def test_a_sleap_job_has_suggestions_and_predicted_instances(trained_run, clip, tmp_path):
    config, work_dir = trained_run
    out = str(tmp_path / 'jobs' / 'job.slp')  # its folder is made
    run_tool('tools/label_next.py', config, osp.join(work_dir, 'epoch_2.pth'), clip,
             '--num', '3', '--format', 'slp', '--out', out)
    labels = sleap_io.load_slp(out)
    suggested = sorted(s.frame_idx for s in labels.suggestions)
    assert len(suggested) == 3
    assert sorted(f.frame_idx for f in labels.labeled_frames) == suggested
    for frame in labels.labeled_frames:
        (instance,) = frame.predicted_instances
        assert instance.numpy().shape == (17, 2)
    assert labels.videos[0].filename == clip and labels.video.shape[0] == 60


def test_frames_added_to_the_real_project_come_back_without_reshuffling_splits(
        tmp_path, clip):
    """The loop: the real project is imported, frames of a new video are added (as
    label_next writes them), labelled (the guesses accepted, as DeepLabCut's refine and
    merge would store them), and re-imported with --update: every earlier frame keeps its
    split, the new frames go to train."""
    from mmpose_animal.structures import PoseSequence
    from mmpose_animal.fileio.deeplabcut import image_name
    from mmpose_animal.labelling.labelling_jobs import write_dlc_job
    project = tmp_path / 'project'
    shutil.copytree(SHARED_DLC, project, ignore=shutil.ignore_patterns('videos', '*.h5'))
    data = str(tmp_path / 'data')
    first = write_dataset(read_labels(str(project)), data, link=True)
    before = {split: s['frames'] for split, s in first.splits.items()}

    names = ['snout', 'leftear', 'rightear', 'tailbase']
    keypoints = np.tile(np.array([[300, 200], [290, 190], [310, 190], [300, 260]],
                                 np.float32), (60, 1, 1, 1))
    keypoints[25, 0, 0] = (300, 495)  # a guess below the 640x480 frame
    sequence = PoseSequence(clip, True, keypoints, np.full((60, 1, 4), 0.8, np.float32),
                            np.zeros((60, 1, 4), np.float32), names, frame_size=(640, 480))
    frames = [5, 25, 50]
    images = dict(zip(frames, [np.full((480, 640, 3), 90, np.uint8)] * 3))
    written, notes = write_dlc_job(sequence, frames, images, str(project))
    assert notes == [] and osp.join(str(project), 'config.yaml') in written
    # our importer reads the project as it is: the new folder has no labels yet
    assert len(read_labels(str(project)).frames) == 116
    # the lab labels the frames: DeepLabCut stores them as CollectedData_<scorer>
    folder = project / 'labeled-data' / 'mouse'
    machine = pd.read_hdf(folder / 'machinelabels-iter0.h5', key='df_with_missing')
    # the guess off the frame is left for the lab to place: empty, as an unlabelled point
    missing = machine.isna()
    assert missing.values.sum() == 3 and missing.iloc[1].xs('snout', level='bodyparts').all()
    labelled = machine.drop(columns='likelihood', level='coords')
    labelled.columns = labelled.columns.set_levels(['Pranav'], level='scorer')
    labelled.to_hdf(folder / 'CollectedData_Pranav.h5', key='df_with_missing', mode='w')

    again = run_tool('tools/dataset_converters/import_labels.py', str(project), '--out', data,
                     '--link', '--update')
    assert 'update: 116 earlier frames kept in their splits, 3 new frames added (to train)' \
        in again.stdout
    import json
    with open(osp.join(data, 'import_summary.json')) as file:
        after = {split: s['frames'] for split, s in json.load(file)['splits'].items()}
    assert after == dict(before, train=before['train'] + 3)
    from mmpose_animal.fileio.labels.write_dataset import earlier_splits
    splits = earlier_splits(data)
    for name in [image_name(f, 60) for f in frames]:
        assert splits[osp.join(str(project), 'labeled-data', 'mouse', name)] == 'train'
