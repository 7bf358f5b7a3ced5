import pytest
import torch
from mmpose.apis import init_model

from mmpose_animal.apis import load_pose_model


@pytest.fixture
def model(tiny_fly_config, tmp_path):
    """The tiny fly model with random weights, loaded as tools/infer.py loads a model."""
    config = tiny_fly_config()
    checkpoint = tmp_path / 'weights.pth'
    torch.save(dict(state_dict=init_model(config, device='cpu').state_dict()), checkpoint)
    return load_pose_model(config, str(checkpoint))
