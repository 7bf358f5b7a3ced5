"""Predictions out as DeepLabCut H5/CSV, SLEAP .slp and NWB, read back by pandas and sleap-io."""
import os.path as osp

import cv2
import numpy as np
import pandas as pd
import pytest
import sleap_io

from mmpose_animal.apis.prediction_export import (PredictionSequence, check_formats,
                                                  export_sequence, group_sequences)

NAMES = ['snout', 'leftear', 'rightear']
META = dict(num_keypoints=3, keypoint_id2name=dict(enumerate(NAMES)),
            skeleton_links=[(0, 1), (0, 2)], flip_indices=[0, 2, 1])
VIDEO = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))),
                 'shared', 'data', 'dlc-openfield', 'videos', 'm3v1mp4.mp4')


def prediction(frame, animal=0):
    keypoints = np.array([[10.0 + frame, 20.0 + animal], [30, 40], [50, 60.5]])
    return keypoints, np.array([0.9, 0.5, 0.25 + 0.01 * frame])


def image_sequence(tmp_path, num=3):
    paths = []
    for i in range(num):
        path = str(tmp_path / 'frames' / f'img{i:03d}.png')
        (tmp_path / 'frames').mkdir(exist_ok=True)
        cv2.imwrite(path, np.zeros((80, 100, 3), np.uint8))
        paths.append(path)
    (sequence,) = group_sequences(paths, lambda p: False)
    sequence.frames = {i: [prediction(i)] for i in range(num)}
    return sequence


def test_dlc_h5_and_csv_read_back_with_pandas_and_sleap_io(tmp_path):
    sequence = image_sequence(tmp_path)
    h5, csv = export_sequence(sequence, ['dlc'], META, str(tmp_path))
    assert osp.basename(h5) == 'frames_mmpose-animal.h5'
    from_h5 = pd.read_hdf(h5, key='df_with_missing')
    from_csv = pd.read_csv(csv, header=[0, 1, 2], index_col=0)
    assert list(from_h5.columns.names) == ['scorer', 'bodyparts', 'coords']
    for table in (from_h5, from_csv):
        for i in range(3):
            keypoints, scores = prediction(i)
            row = table.iloc[i]
            for k, name in enumerate(NAMES):
                assert row[('mmpose-animal', name, 'x')] == pytest.approx(keypoints[k, 0])
                assert row[('mmpose-animal', name, 'y')] == pytest.approx(keypoints[k, 1])
                assert row[('mmpose-animal', name, 'likelihood')] == pytest.approx(scores[k])
    labels = sleap_io.load_dlc(csv, config=False)  # sleap-io sorts the node names
    order = [labels.skeleton.node_names.index(n) for n in NAMES]
    for i, frame in enumerate(sorted(labels.labeled_frames, key=lambda f: f.frame_idx)):
        np.testing.assert_allclose(frame.instances[0].numpy()[order], prediction(i)[0])


def test_dlc_table_of_several_animals_has_an_individuals_level(tmp_path):
    sequence = PredictionSequence(VIDEO, True, frames={
        0: [prediction(0, 0), prediction(0, 1)], 1: [prediction(1, 0)]})
    h5, _ = export_sequence(sequence, ['dlc'], META, str(tmp_path))
    table = pd.read_hdf(h5, key='df_with_missing')
    assert list(table.columns.names) == ['scorer', 'individuals', 'bodyparts', 'coords']
    assert list(table.index) == [0, 1]
    assert table.loc[0, ('mmpose-animal', 'ind2', 'snout', 'y')] == 21.0
    assert np.isnan(table.loc[1, ('mmpose-animal', 'ind2', 'snout', 'x')])


def test_slp_keeps_points_scores_and_skeleton(tmp_path):
    sequence = image_sequence(tmp_path)
    (path,) = export_sequence(sequence, ['slp'], META, str(tmp_path))
    labels = sleap_io.load_slp(path)
    assert labels.skeleton.node_names == NAMES
    assert labels.skeleton.symmetry_inds == [(1, 2)]
    for frame in labels.labeled_frames:
        (instance,) = frame.predicted_instances
        keypoints, scores = prediction(frame.frame_idx)
        np.testing.assert_allclose(instance.numpy(), keypoints)
        np.testing.assert_allclose(instance.numpy(scores=True)[:, 2], scores)


@pytest.mark.skipif(not osp.isfile(VIDEO), reason='the real example video is not here')
def test_nwb_of_a_real_video_reads_back(tmp_path):
    sequence = PredictionSequence(VIDEO, True, frames={i: [prediction(i)] for i in range(4)})
    (path,) = export_sequence(sequence, ['nwb'], META, str(tmp_path))
    labels = sleap_io.load_nwb(path)
    frames = sorted(labels.labeled_frames, key=lambda f: f.frame_idx)
    assert [f.frame_idx for f in frames] == [0, 1, 2, 3]
    for frame in frames:
        np.testing.assert_allclose(frame.instances[0].numpy(), prediction(frame.frame_idx)[0])


def test_formats_are_checked_before_any_work(tmp_path):
    folder = image_sequence(tmp_path)
    assert check_formats(None, [folder]) == ['jsonl']
    assert check_formats(['dlc', 'jsonl', 'dlc'], [folder]) == ['dlc', 'jsonl']
    with pytest.raises(ValueError, match=r"unknown --format \['csv'\]"):
        check_formats(['csv'], [folder])
    with pytest.raises(ValueError, match=r'NWB export needs videos, but .*frames is a folder'):
        check_formats(['nwb'], [folder])
