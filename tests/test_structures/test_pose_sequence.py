"""PoseSequence parts joined back into one sequence."""
import numpy as np

from mmpose_animal.structures import PoseSequence, concatenate_sequences


def _part(frames: int, animals: int, value: float, first: int) -> PoseSequence:
    return PoseSequence('v', False, np.full((frames, animals, 3, 2), value, np.float32),
                        np.full((frames, animals, 3), 0.5, np.float32),
                        np.zeros((frames, animals, 4), np.float32), ['a', 'b', 'c'], fps=30.0,
                        image_paths=[f'{i}.png' for i in range(first, first + frames)])


def test_parts_join_with_the_most_animals_of_a_part():
    whole = concatenate_sequences([_part(2, 1, 1.0, 0), _part(3, 2, 2.0, 2)])
    assert whole.keypoints.shape == (5, 2, 3, 2) and whole.scores.shape == (5, 2, 3)
    assert (whole.keypoints[:2, 0] == 1).all() and np.isnan(whole.keypoints[:2, 1]).all()
    assert (whole.keypoints[2:] == 2).all()
    assert whole.image_paths == [f'{i}.png' for i in range(5)] and whole.fps == 30.0
    assert whole.identity_scores is None
