import cv2
import numpy as np
import pytest
import torch
from mmpose.apis import init_model

from mmpose_animal.apis import load_pose_model, predict_keypoints


@pytest.fixture
def model_and_checkpoint(tiny_fly_config, tmp_path):
    """A tiny fly17 config and a plain checkpoint of its randomly initialised weights."""
    config = tiny_fly_config()
    model = init_model(config, device='cpu')
    checkpoint = tmp_path / 'weights.pth'
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    return config, model, checkpoint


def test_load_pose_model_is_strict(model_and_checkpoint, tmp_path):
    config, model, checkpoint = model_and_checkpoint
    loaded = load_pose_model(config, str(checkpoint))
    assert not loaded.training
    for name, value in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], value), name
    assert loaded.dataset_meta['num_keypoints'] == 17

    state = model.state_dict()
    state.pop(next(iter(state)))
    partial = tmp_path / 'partial.pth'
    torch.save(dict(state_dict=state), partial)
    with pytest.raises(RuntimeError, match='missing keys in source state_dict'):
        load_pose_model(config, str(partial))


def test_predict_keypoints_uses_the_whole_image_as_box(model_and_checkpoint):
    config, _, checkpoint = model_and_checkpoint
    model = load_pose_model(config, str(checkpoint))
    image = cv2.cvtColor(np.random.default_rng(0).integers(0, 255, (90, 150), np.uint8),
                         cv2.COLOR_GRAY2BGR)
    (sample,) = predict_keypoints(model, image)
    np.testing.assert_allclose(sample.pred_instances.bboxes, [[0, 0, 150, 90]])
    keypoints = sample.pred_instances.keypoints
    assert keypoints.shape == (1, 17, 2)

    samples = predict_keypoints(model, image, np.array([[0, 0, 60, 60], [70, 10, 140, 80]]))
    assert [s.pred_instances.bboxes.tolist() for s in samples] == [[[0, 0, 60, 60]],
                                                                   [[70, 10, 140, 80]]]
    assert all(s.pred_instances.keypoints.shape == (1, 17, 2) for s in samples)
