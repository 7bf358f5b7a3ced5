"""The training box around the animal from its keypoints: padding and jitter in the training
pipeline, the whole-image share."""
import numpy as np
import pytest
from mmcv.transforms import Compose

from mmpose_animal.datasets.transforms import KeypointBBox


def _sample(points, visible, width=640, height=480):
    return dict(img=np.zeros((height, width, 3), np.uint8), img_shape=(height, width),
                keypoints=np.array([points], np.float32),
                keypoints_visible=np.array([visible], np.float32),
                bbox=np.array([[0, 0, width, height]], np.float32),
                bbox_score=np.ones(1, np.float32))


def test_transform_uses_labelled_points_or_the_whole_image():
    sample = _sample([[100, 50], [140, 90], [0, 0]], [1, 1, 0])
    assert KeypointBBox()(dict(sample))['bbox'].tolist() == [[100, 50, 140, 90]]
    assert KeypointBBox(whole_image_prob=1)(dict(sample))['bbox'].tolist() == [[0, 0, 640, 480]]
    unlabelled = _sample([[0, 0]] * 3, [0, 0, 0])
    assert KeypointBBox()(unlabelled)['bbox'].tolist() == [[0, 0, 640, 480]]
    np.random.seed(0)
    shares = [KeypointBBox(whole_image_prob=0.25)(dict(sample))['bbox'][0, 2] == 640
              for _ in range(2000)]
    assert 0.22 < np.mean(shares) < 0.28


@pytest.mark.parametrize('kwargs, message', [(dict(whole_image_prob=1.5), 'whole_image_prob'),
                                             (dict(min_size=0), 'min_size')])
def test_bad_values_are_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        KeypointBBox(**kwargs)


def test_training_crop_is_padded_and_jittered_within_its_ranges():
    """KeypointBBox -> GetBBoxCenterScale(1.25) -> RandomBBoxTransform: the crop centre stays
    within the shift range of the padded box, its size within the scale range."""
    pipeline = Compose([
        dict(type='KeypointBBox'),
        dict(type='GetBBoxCenterScale', padding=1.25),
        dict(type='RandomBBoxTransform', shift_factor=0.1, shift_prob=1.0,
             scale_factor=(0.75, 1.25), rotate_factor=0, rotate_prob=0)])
    np.random.seed(1)
    centres, scales = [], []
    for _ in range(300):
        out = pipeline(_sample([[100, 50], [180, 90]], [1, 1]))
        centres.append(out['bbox_center'][0])
        scales.append(out['bbox_scale'][0])
    centres, scales = np.array(centres), np.array(scales)
    padded = np.array([80, 40]) * 1.25
    assert np.all(np.abs(centres - [140, 70]) <= 0.1 * padded + 1e-3)
    assert np.abs(centres - [140, 70]).max(0).tolist() > (0.08 * padded).tolist()
    ratios = scales / padded
    assert np.allclose(ratios[:, 0], ratios[:, 1])  # one factor for both sides
    assert 0.75 - 1e-6 <= ratios.min() < 0.8 and 1.2 < ratios.max() <= 1.25 + 1e-6
