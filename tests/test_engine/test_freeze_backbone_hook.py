import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmpose_animal.engine import FreezeBackboneHook


def _train(config: str, work_dir, max_epochs: int, load_from=None, freeze=None) -> dict:
    """Train ``config`` for ``max_epochs`` (from ``load_from``, the backbone frozen for
    ``freeze`` epochs); the final state_dict."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(dict(work_dir=str(work_dir), train_cfg=dict(max_epochs=max_epochs),
                             load_from=load_from))
    if freeze:
        cfg.custom_hooks.append(dict(type='FreezeBackboneHook', epochs=freeze))
    runner = Runner.from_cfg(cfg)
    runner.train()
    return {key: value.clone() for key, value in runner.model.state_dict().items()}


def test_backbone_stays_fixed_while_frozen_then_trains(tiny_fly_config, tmp_path):
    config = tiny_fly_config(max_epochs=1)
    pretrained = _train(config, tmp_path / 'pre', 1)
    checkpoint = str(tmp_path / 'pre' / 'epoch_1.pth')
    hook = dict(load_from=checkpoint, freeze=1)

    frozen = _train(config, tmp_path / 'frozen', 1, **hook)
    for key, value in frozen.items():
        if key.startswith('backbone.'):  # weights and BN running statistics alike
            assert torch.equal(value, pretrained[key]), key
    assert not torch.equal(frozen['head.final_layer.weight'],
                           pretrained['head.final_layer.weight'])

    thawed = _train(config, tmp_path / 'thawed', 2, **hook)
    changed = [key for key in thawed if key.startswith('backbone.')
               and not torch.equal(thawed[key], pretrained[key])]
    assert changed  # the second epoch trains the backbone


@pytest.mark.parametrize('epochs', [0, -1, 1.5])
def test_epochs_must_be_a_positive_integer(epochs):
    with pytest.raises(ValueError, match='epochs must be an integer >= 1'):
        FreezeBackboneHook(epochs)
