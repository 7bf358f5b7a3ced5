"""make_config --minutes: epochs fitted to a time budget, a complete schedule, EMA weights."""
import copy
import json
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import EMAHook
from mmengine.runner import Runner

from mmpose_animal.data_tools.budget_schedule import (EpochTiming, epochs_for_seconds,
                                                      make_config_for_minutes, time_training)
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.fileio.labels import read_labels, write_dataset
from mmpose_animal.engine import stop_data_workers
from ..test_fileio.label_sources import write_dlc_project


@pytest.fixture(scope='module')
def data_root(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp('budget')
    write_dataset(read_labels(write_dlc_project(str(folder / 'proj'))), str(folder / 'data'))
    return str(folder / 'data')


def test_epochs_fill_the_budget_with_the_generated_validations():
    timing = EpochTiming(startup=10.0, epoch=2.0, validation=1.0)
    # below 60 epochs every epoch validates: 10 + 3 E <= 100 -> 30
    assert timing.seconds(30) == 100.0 and epochs_for_seconds(timing, 100.0) == 30
    assert epochs_for_seconds(timing, 102.9) == 30 and epochs_for_seconds(timing, 103.0) == 31
    # from 60 epochs every second epoch validates: 60 epochs (160 s) beat 59 (187 s)
    assert timing.seconds(59) == 187.0 and timing.seconds(60) == 160.0
    assert epochs_for_seconds(timing, 161.0) == 60
    assert epochs_for_seconds(timing, 13.0) == 1


def test_a_budget_too_small_for_one_epoch_is_a_clear_error():
    timing = EpochTiming(startup=10.0, epoch=2.0, validation=1.0)
    with pytest.raises(ValueError, match=r'too small: one epoch with its validation takes '
                                         r'about 13 s here \(start-up 10 s'):
        epochs_for_seconds(timing, 12.0)


@pytest.mark.parametrize('minutes', [0, -5, math.nan, math.inf, '10'])
def test_bad_minutes_are_refused_before_any_training(data_root, minutes):
    with pytest.raises(ValueError, match='minutes must be a positive number'):
        make_config_for_minutes(data_root, minutes)


def test_minutes_and_epochs_together_are_refused(data_root):
    with pytest.raises(ValueError, match='either minutes or max_epochs'):
        make_config_for_minutes(data_root, 1.0, max_epochs=3)


def test_the_timing_probe_measures_epochs_and_validations(data_root, tmp_path):
    """The probe trains the config a few epochs and returns positive times (how long they
    are on this machine is benchmarks/bench_budget.py's question, not a test's)."""
    cfg = Config.fromfile(str(_written(tmp_path / 'probe.py', make_config(data_root))))
    timing = time_training(cfg, str(tmp_path / 'probe'))
    assert timing.epoch > 0 and timing.validation > 0 and timing.startup >= 0


def test_the_budget_plan_follows_the_timing_and_completes_its_cosine(data_root, tmp_path):
    """Given measured times, the written config has the epochs that fit the budget, its
    cosine spans them, and training them runs the schedule to its last step."""
    timing = EpochTiming(startup=5.0, epoch=1.0, validation=0.5)
    text, same, epochs = make_config_for_minutes(data_root, 0.15, timing=timing)
    assert same is timing and epochs == epochs_for_seconds(timing, 9.0) == 2
    assert f'{epochs} epochs fit a 0.15-minute budget' in text
    cfg = Config.fromfile(str(_written(tmp_path / 'budget.py', text)))
    assert cfg.train_cfg.max_epochs == epochs
    assert cfg.param_scheduler[-1].T_max == cfg.param_scheduler[-1].end == epochs
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.epoch == epochs
    cosine = runner.param_schedulers[-1]
    assert cosine.last_step + 1 == cosine.end == runner.iter  # its last step was applied
    # the persistent data workers are stopped at once, not left to the garbage collector
    iterators = [loader._iterator for loader in (runner.train_dataloader, runner.val_dataloader)]
    assert all(iterator is not None and not iterator._shutdown for iterator in iterators)
    stop_data_workers(runner)
    assert all(iterator._shutdown for iterator in iterators)


def _written(path, text: str):
    path.write_text(text)
    return path


def test_ema_weights_are_the_ones_saved_and_tested(data_root, tmp_path):
    text = make_config(data_root, max_epochs=3)
    path = tmp_path / 'ema.py'
    path.write_text(text)
    cfg = Config.fromfile(str(path))
    ema_cfg = cfg.custom_hooks[0]
    with open(osp.join(data_root, 'annotations', 'train.json')) as file:
        frames = len(json.load(file)['annotations'])
    iters = 3 * math.ceil(frames / cfg.train_dataloader.batch_size)
    assert ema_cfg.type == 'EMAHook' and ema_cfg.ema_type == 'ExpMomentumEMA'
    assert ema_cfg.momentum == pytest.approx(min(0.5, 1 / (0.05 * iters)), rel=1e-3)
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    ema = next(hook for hook in runner.hooks if isinstance(hook, EMAHook)).ema_model.module
    raw = runner.model.state_dict()
    saved = torch.load(tmp_path / 'work' / 'epoch_3.pth', weights_only=True)['state_dict']
    averaged = ema.state_dict()
    assert any(not torch.equal(raw[key], averaged[key]) for key in raw)
    for key, value in averaged.items():
        assert torch.equal(saved[key], value), key

    # tools/test.py's path: a runner that loads the checkpoint tests the averaged weights
    test_cfg = copy.deepcopy(cfg)
    test_cfg.update(work_dir=str(tmp_path / 'test'), custom_hooks=[],
                    load_from=str(tmp_path / 'work' / 'epoch_3.pth'))
    tested = Runner.from_cfg(test_cfg)
    tested.load_or_resume()
    for key, value in tested.model.state_dict().items():
        assert torch.equal(value, averaged[key]), key


def test_ema_can_be_turned_off(data_root):
    assert 'EMAHook' in make_config(data_root, max_epochs=3)
    assert 'EMAHook' not in make_config(data_root, max_epochs=3, ema=False)
