"""A sequence on disk: its arrays, frame rate and size and the track names come back."""
import numpy as np
import pytest

from mmpose_animal.fileio import load_sequence, save_sequence
from mmpose_animal.structures import PoseSequence


def test_arrays_and_track_names_are_saved(tmp_path):
    sequence = PoseSequence('v.mp4', True, np.arange(32, dtype=np.float32).reshape(4, 2, 2, 2),
                            np.ones((4, 2, 2), np.float32), np.zeros((4, 2, 4), np.float32),
                            ['a', 'b'], fps=30.0, frame_size=(64, 48),
                            track_names=['female', 'male'])
    again = load_sequence(save_sequence(sequence, str(tmp_path / 'v.sequence.npz')))
    np.testing.assert_array_equal(again.keypoints, sequence.keypoints)
    assert again.track_names == ['female', 'male'] and again.instance_names == ['female', 'male']
    assert again.fps == 30.0 and again.frame_size == (64, 48)


def test_a_file_that_is_not_one_is_named(tmp_path):
    (tmp_path / 'bad.npz').write_bytes(b'not a zip')
    with pytest.raises(ValueError, match='bad.npz: not a predictions file of tools/infer.py'):
        load_sequence(str(tmp_path / 'bad.npz'))
