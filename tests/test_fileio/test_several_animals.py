"""Labels of several animals: tracks go through the import, and what cannot be learned
faithfully is named (nothing is written half)."""
import json
import os

import numpy as np
import pytest

from mmpose_animal.data_tools.synthetic_fly import synthetic_fly_pairs
from mmpose_animal.fileio.labels import read_labels, write_dataset


def test_tracks_reach_the_annotations_and_the_metainfo(tmp_path):
    write_dataset(synthetic_fly_pairs(6), str(tmp_path / 'data'), ratios=(0.5, 0.5, 0))
    with open(tmp_path / 'data' / 'annotations' / 'train.json') as file:
        tracks = {a['track'] for a in json.load(file)['annotations']}
    assert tracks == {'left', 'right'}
    assert "'track_names': ['left', 'right']" in (tmp_path / 'data' / 'metainfo.py').read_text()


def test_a_frame_with_fewer_animals_is_named(tmp_path):
    labels = synthetic_fly_pairs(6)
    labels.frames[2].instances = labels.frames[2].instances[:1]
    labels.frames[2].tracks = ['left']
    summary = write_dataset(labels, str(tmp_path / 'data'), ratios=(0.5, 0.5, 0))
    (note,) = [n for n in summary.notes if 'fewer animals' in n]
    assert '1 frames label fewer animals than the 2 of other frames' in note
    assert 'learned as background' in note and 'pairs/00002.png' in note


def test_an_animal_without_a_track_among_tracked_ones_is_refused(tmp_path):
    labels = synthetic_fly_pairs(6)
    labels.frames[3].tracks = ['left', None]
    with pytest.raises(ValueError, match=r'synthetic pair 3: an instance without a track, '
                                         r"while others have tracks \['left', 'right'\]"):
        write_dataset(labels, str(tmp_path / 'data'))
    assert os.listdir(tmp_path) == []  # nothing written half


def test_two_animals_with_the_same_box_are_refused(tmp_path):
    labels = synthetic_fly_pairs(6)
    labels.frames[4].instances[1] = labels.frames[4].instances[0]
    with pytest.raises(ValueError, match='synthetic pair 4: two labelled animals have the '
                                         'same box'):
        write_dataset(labels, str(tmp_path / 'data'))
    assert os.listdir(tmp_path) == []


def test_sleap_tracks_and_frames_choose_what_is_imported():
    from ..test_fileio.label_sources import SHARED
    path = os.path.join(SHARED, 'sleap-centered-pair', 'centered_pair_predictions.slp')
    if not os.path.isfile(path):
        pytest.skip('the shared SLEAP file is not here')
    labels = read_labels(path, include_predicted=True, tracks=['1', '2'], frames='0:30:10')
    assert [f.name for f in labels.frames] == ['centered_pair_low_quality/000000.png',
                                               'centered_pair_low_quality/000010.png',
                                               'centered_pair_low_quality/000020.png']
    assert all(f.tracks == ['1', '2'] for f in labels.frames)
    assert labels.frames[0].instances.shape == (2, 24, 2)
    with pytest.raises(ValueError, match=r"no track \['7x'\]"):
        read_labels(path, include_predicted=True, tracks=['7x'])
    with pytest.raises(ValueError, match=r"--frames '0:x': expected START:STOP"):
        read_labels(path, include_predicted=True, frames='0:x')
