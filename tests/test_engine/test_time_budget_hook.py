import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from mmpose_animal.engine import TimeBudgetHook


def test_training_stops_after_the_epoch_that_spends_the_budget(tiny_fly_config, tmp_path):
    cfg = Config.fromfile(tiny_fly_config(max_epochs=5))
    cfg.work_dir = str(tmp_path)
    cfg.custom_hooks.append(dict(type='TimeBudgetHook', budget_seconds=1e-3))
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.epoch == 1 and runner.iter == 4  # one whole epoch, then stop
    assert runner.message_hub.get_info('train_seconds') > 0


def test_budget_must_be_positive():
    with pytest.raises(ValueError, match='budget_seconds must be > 0, got 0'):
        TimeBudgetHook(0)
