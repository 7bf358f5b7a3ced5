"""Predictions out as DeepLabCut H5/CSV, SLEAP .slp and NWB, read back by pandas and sleap-io."""
import json
import os.path as osp

import cv2
import numpy as np
import pandas as pd
import pytest
import sleap_io

from mmpose_animal.structures import PoseSequence, stack_instances
from mmpose_animal.fileio.prediction_files import check_formats, export_sequence, write_jsonl
from mmpose_animal.apis.video_prediction import group_inputs

NAMES = ['snout', 'leftear', 'rightear']
VIDEO = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))),
                 'shared', 'data', 'dlc-openfield', 'videos', 'm3v1mp4.mp4')


def prediction(frame, animal=0):
    keypoints = np.array([[10.0 + frame, 20.0 + animal], [30, 40], [50, 60.5]])
    return keypoints, np.array([0.9, 0.5, 0.25 + 0.01 * frame]), np.array([0, 0, 100, 80.0])


def sequence_of(source, is_video, frames, image_paths=()):
    """A sequence of the given per-frame instance lists."""
    keypoints, scores, boxes = stack_instances(frames, [(len(NAMES), 2), (len(NAMES),), (4,)])
    return PoseSequence(source, is_video, keypoints, scores, boxes, NAMES, [(0, 1), (0, 2)],
                        [(1, 2)], fps=30.0, frame_size=(100, 80), image_paths=list(image_paths))


def image_sequence(tmp_path, num=3):
    paths = []
    for i in range(num):
        path = str(tmp_path / 'frames' / f'img{i:03d}.png')
        (tmp_path / 'frames').mkdir(exist_ok=True)
        cv2.imwrite(path, np.zeros((80, 100, 3), np.uint8))
        paths.append(path)
    (item,) = group_inputs(paths)
    return sequence_of(item.source, False, [[prediction(i)] for i in range(num)], paths)


def test_dlc_h5_and_csv_read_back_with_pandas_and_sleap_io(tmp_path):
    sequence = image_sequence(tmp_path)
    h5, csv = export_sequence(sequence, ['dlc'], str(tmp_path))
    assert osp.basename(h5) == 'frames_mmpose-animal.h5'
    from_h5 = pd.read_hdf(h5, key='df_with_missing')
    from_csv = pd.read_csv(csv, header=[0, 1, 2], index_col=0)
    assert list(from_h5.columns.names) == ['scorer', 'bodyparts', 'coords']
    for table in (from_h5, from_csv):
        for i in range(3):
            keypoints, scores, _ = prediction(i)
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
    sequence = sequence_of(VIDEO, True, [[prediction(0, 0), prediction(0, 1)],
                                         [prediction(1, 0)]])
    h5, csv = export_sequence(sequence, ['dlc'], str(tmp_path))
    table = pd.read_hdf(h5, key='df_with_missing')
    assert list(table.columns.names) == ['scorer', 'individuals', 'bodyparts', 'coords']
    assert list(table.index) == [0, 1]
    assert table.loc[0, ('mmpose-animal', 'ind2', 'snout', 'y')] == 21.0
    assert np.isnan(table.loc[1, ('mmpose-animal', 'ind2', 'snout', 'x')])
    from mmpose_animal.fileio.track_files import read_tracks  # the metrics' reader
    for path in (h5, csv):
        tracks = read_tracks(path)
        assert tracks.track_names == ['ind1', 'ind2'] and tracks.keypoint_names == NAMES
        np.testing.assert_array_equal(tracks.points, sequence.keypoints)


def test_slp_keeps_points_scores_and_skeleton(tmp_path):
    sequence = image_sequence(tmp_path)
    (path,) = export_sequence(sequence, ['slp'], str(tmp_path))
    labels = sleap_io.load_slp(path)
    assert labels.skeleton.node_names == NAMES
    assert labels.skeleton.symmetry_inds == [(1, 2)]
    for frame in labels.labeled_frames:
        (instance,) = frame.predicted_instances
        keypoints, scores, _ = prediction(frame.frame_idx)
        np.testing.assert_allclose(instance.numpy(), keypoints)
        np.testing.assert_allclose(instance.numpy(scores=True)[:, 2], scores)


@pytest.mark.skipif(not osp.isfile(VIDEO), reason='the real example video is not here')
def test_nwb_of_a_real_video_reads_back(tmp_path):
    sequence = sequence_of(VIDEO, True, [[prediction(i)] for i in range(4)])
    (path,) = export_sequence(sequence, ['nwb'], str(tmp_path))
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


def test_raw_and_filtered_dlc_files_use_deeplabcuts_naming(tmp_path):
    raw = sequence_of(VIDEO, True, [[prediction(i)] for i in range(4)])
    filtered = raw.with_points(raw.keypoints + 1.5)
    filtered.keypoints[2, 0, 1] = np.nan
    files = export_sequence(raw, ['dlc'], str(tmp_path), filtered)
    assert [osp.basename(f) for f in files] == [
        'm3v1mp4_mmpose-animal.h5', 'm3v1mp4_mmpose-animal.csv',
        'm3v1mp4_mmpose-animal_filtered.h5', 'm3v1mp4_mmpose-animal_filtered.csv']
    raw_table = pd.read_hdf(files[0], key='df_with_missing')
    filtered_table = pd.read_hdf(files[2], key='df_with_missing')
    assert filtered_table.loc[1, ('mmpose-animal', 'snout', 'x')] == raw_table.loc[
        1, ('mmpose-animal', 'snout', 'x')] + 1.5
    assert np.isnan(filtered_table.loc[2, ('mmpose-animal', 'leftear', 'y')])
    # sleap-io's DLC reader takes tables indexed by image paths: a folder's filtered table
    folder = image_sequence(tmp_path)
    files = export_sequence(folder, ['dlc'], str(tmp_path), folder.with_points(
        folder.keypoints + 1.5))
    labels = sleap_io.load_dlc(files[3], config=False)
    order = [labels.skeleton.node_names.index(n) for n in NAMES]
    frames = sorted(labels.labeled_frames, key=lambda f: f.frame_idx)
    np.testing.assert_allclose(frames[2].instances[0].numpy()[order], prediction(2)[0] + 1.5)


def test_jsonl_has_raw_and_filtered_points(tmp_path):
    raw = sequence_of(VIDEO, True, [[prediction(i)] for i in range(2)] + [[]])
    filtered = raw.with_points(raw.keypoints.copy())
    filtered.keypoints[1, 0, 2] = np.nan
    path = write_jsonl(raw, str(tmp_path / 'p.jsonl'), filtered)
    records = [json.loads(line) for line in open(path)]
    assert [r['frame'] for r in records] == [0, 1, 2] and records[2]['instances'] == []
    (instance,) = records[1]['instances']
    assert instance['keypoints'][0] == [11.0, 20.0] and instance['filtered_keypoints'][2] is None
    assert instance['bbox'] == [0, 0, 100, 80]
