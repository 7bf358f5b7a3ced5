"""Lightning Pose projects: single- and multi-view labels import with their keypoints, and
predictions written in its CSV layout read back as Lightning Pose reads them."""
import os

import numpy as np
import pandas as pd
import pytest

from mmpose_animal.fileio.labels import find_format, read_labels, write_dataset
from mmpose_animal.fileio.prediction_files import write_lightning_pose
from mmpose_animal.structures import PoseSequence
from .label_sources import SHARED, write_images

NAMES = ['nose_top', 'pawL_top', 'pawR_top', 'nose_bot', 'pawL_bot', 'pawR_bot']


def write_lp_csv(path: str, images, points: np.ndarray) -> None:
    """Lightning Pose's CollectedData layout: scorer / bodyparts / coords header rows, one
    row per image (path relative to the project), empty cells for unlabelled points."""
    names = NAMES[:points.shape[1]]
    header = [['scorer'] + ['rick'] * 2 * len(names),
              ['bodyparts'] + [n for n in names for _ in 'xy'],
              ['coords'] + ['x', 'y'] * len(names)]
    rows = [[image] + ['' if not np.isfinite(v) else f'{v:g}' for v in row.ravel()]
            for image, row in zip(images, points)]
    with open(path, 'w') as file:
        file.write('\n'.join(','.join(map(str, r)) for r in header + rows) + '\n')


def test_a_project_made_here_imports_with_its_keypoints(tmp_path):
    project = tmp_path / 'lp'
    write_images(str(project / 'labeled-data'), ['img01.png', 'img02.png', 'img03.png'],
                 size=(60, 80))
    points = np.array([[[10, 5], [20, 8], [30, 8], [12, 40], [22, 45], [31, 44]]] * 3, float)
    points[1, 2] = np.nan  # a paw not visible
    write_lp_csv(str(project / 'CollectedData.csv'),
                 [f'labeled-data/img0{i}.png' for i in (1, 2, 3)], points)
    assert find_format(str(project)).name == 'lp'
    labels = read_labels(str(project))
    assert labels.keypoint_names == NAMES
    assert [f.name for f in labels.frames] == [f'labeled-data/img0{i}.png' for i in (1, 2, 3)]
    np.testing.assert_array_equal(labels.frames[1].instances[0], points[1])
    summary = write_dataset(labels, str(tmp_path / 'data'), ratios=(1, 0, 0))
    assert summary.keypoint_names == NAMES and summary.splits['train']['labelled'][2] == 2


def test_a_multi_view_project_imports_each_view_as_a_group(tmp_path):
    project = tmp_path / 'views'
    for view in ('top', 'bot'):
        write_images(str(project / 'labeled-data' / view), ['f1.png', 'f2.png'])
        write_lp_csv(str(project / f'CollectedData_{view}.csv'),
                     [f'labeled-data/{view}/f{i}.png' for i in (1, 2)],
                     np.array([[[5, 5], [9, 9], [12, 3]]] * 2, float))
    labels = read_labels(str(project))
    assert labels.keypoint_names == NAMES[:3]
    assert sorted({f.group for f in labels.frames}) == ['bot', 'top']
    assert len(labels.frames) == 4
    (project / 'CollectedData_side.csv').write_text(
        'scorer,r,r\nbodyparts,other,other\ncoords,x,y\nlabeled-data/top/f1.png,1,1\n')
    with pytest.raises(ValueError, match=r'CollectedData_side.csv: keypoints \[\'other\'\] '
                                         r'differ'):
        read_labels(str(project))


def test_the_shared_mirror_mouse_project_imports():
    project = os.path.join(SHARED, 'lp-mirror-mouse')
    if not os.path.isdir(project):
        pytest.skip('../shared/data/lp-mirror-mouse is not here')
    labels = read_labels(project)
    assert len(labels.keypoint_names) == 17 and labels.keypoint_names[0] == 'paw1LH_top'
    assert len(labels.frames) == 90


def test_predictions_in_lightning_pose_layout_read_back(tmp_path):
    keypoints = np.random.default_rng(0).uniform(0, 100, (4, 1, 3, 2)).astype(np.float32)
    scores = np.full((4, 1, 3), 0.8, np.float32)
    keypoints[2, 0, 1] = np.nan
    sequence = PoseSequence('clip.mp4', True, keypoints, scores, np.zeros((4, 1, 4)),
                            NAMES[:3])
    (path,) = write_lightning_pose(sequence, str(tmp_path))
    assert os.path.basename(path) == 'clip.lp.csv'
    table = pd.read_csv(path, header=[0, 1, 2], index_col=0)  # as Lightning Pose reads it
    assert list(table.columns.get_level_values('bodyparts').unique()) == NAMES[:3]
    assert list(table.columns.get_level_values('coords')[:3]) == ['x', 'y', 'likelihood']
    assert list(table.index) == [0, 1, 2, 3]
    np.testing.assert_allclose(table.xs('x', axis=1, level='coords').to_numpy(),
                               keypoints[:, 0, :, 0], rtol=1e-6)
    assert np.isnan(table.xs(('pawL_top', 'x'), axis=1, level=('bodyparts', 'coords'))
                    .iloc[2].item())
    two = PoseSequence('clip.mp4', True, np.zeros((4, 2, 3, 2)), np.zeros((4, 2, 3)),
                       np.zeros((4, 2, 4)), NAMES[:3])
    with pytest.raises(ValueError, match='Lightning Pose files hold one animal'):
        write_lightning_pose(two, str(tmp_path))
