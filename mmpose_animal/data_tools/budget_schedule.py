"""Epochs that fit a wall-clock budget: time a short training run of a config, then fit.

``make_config_for_minutes`` writes the config that ``tools/make_config.py --minutes M`` writes:
the default recipe with as many epochs as fit M minutes on this machine, and its whole
schedule (warm-up, cosine to its end, weight averaging) laid out over those epochs.
"""
import copy
import math
import os.path as osp
import statistics
import tempfile
import time
from dataclasses import dataclass
from typing import Optional, Tuple

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from ..engine.data_workers import stop_data_workers
from .config_writer import make_config, validation_interval

# the probe trains this many epochs (validating after each); the first one also pays the
# start-up (data workers, first calls), the others give the steady epoch and validation times
PROBE_EPOCHS = 3


@dataclass
class EpochTiming:
    """Measured seconds of a config's training on this machine.

    Attributes:
        startup (float): Everything outside steady epochs and validations (building the
            runner, starting data workers, first calls).
        epoch (float): One training epoch.
        validation (float): One validation pass with its checkpoints (the epoch's and
            the best one).
    """
    startup: float
    epoch: float
    validation: float

    def seconds(self, epochs: int) -> float:
        """Predicted seconds of a run of ``epochs`` with the generated configs' validations."""
        return (self.startup + epochs * self.epoch +
                math.ceil(epochs / validation_interval(epochs)) * self.validation)


class _EpochClock(Hook):
    """Mark each epoch's start, its last iteration's end and the training's end.

    Last among the hooks, so an epoch's time includes the weight averaging's update and a
    cycle (one epoch to the next) includes its checkpoint, validation and best checkpoint.
    """

    priority = 'VERY_LOW'

    def __init__(self):
        self.starts, self.ends, self._last = [], [], 0.0

    def before_train_epoch(self, runner) -> None:
        self.starts.append(time.perf_counter())

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._last = time.perf_counter()

    def after_train_epoch(self, runner) -> None:
        self.ends.append(self._last)

    def after_train(self, runner) -> None:
        self.starts.append(time.perf_counter())  # the last cycle's end


def time_training(cfg: Config, work_dir: str) -> EpochTiming:
    """Train ``cfg`` for :data:`PROBE_EPOCHS` epochs, validating and saving after each.

    Args:
        cfg (Config): A training config (not changed).
        work_dir (str): Folder for the probe's logs and checkpoints.

    Returns:
        EpochTiming: Its start-up, epoch and validation seconds.
    """
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = work_dir
    cfg.train_cfg = dict(by_epoch=True, max_epochs=PROBE_EPOCHS, val_interval=1)
    cfg.default_hooks.checkpoint.interval = 1
    # its own visualizer: mmengine keeps one per name, and the default one would go on
    # writing into work_dir (often a temporary folder) for the runners built after this one
    cfg.visualizer.name = f'time_training_{time.time_ns()}'
    clock = _EpochClock()
    start = time.perf_counter()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(clock)
    runner.train()
    stop_data_workers(runner)
    total = time.perf_counter() - start
    # the first epoch also starts the data workers: steady times from the others
    epochs = [end - begin for begin, end in zip(clock.starts, clock.ends)][1:]
    cycles = [after - begin for begin, after in zip(clock.starts, clock.starts[1:])][1:]
    epoch = statistics.median(epochs)
    validation = statistics.median(c - e for c, e in zip(cycles, epochs))
    startup = max(0.0, total - PROBE_EPOCHS * (epoch + validation))
    return EpochTiming(startup=startup, epoch=epoch, validation=validation)


def epochs_for_seconds(timing: EpochTiming, seconds: float) -> int:
    """The most epochs whose predicted run takes at most ``seconds``.

    Raises:
        ValueError: Not even one epoch fits.
    """
    one = timing.seconds(1)
    if one > seconds:
        raise ValueError(f'a budget of {seconds / 60:.2g} minutes is too small: one epoch with '
                         f'its validation takes about {one:.0f} s here (start-up '
                         f'{timing.startup:.0f} s, epoch {timing.epoch:.1f} s, validation '
                         f'{timing.validation:.1f} s)')
    # validations thin out as runs grow longer (validation_interval), so the predicted time
    # is not monotonic in the epochs: scan down from the most epochs the training alone allows
    epochs = int((seconds - timing.startup) / timing.epoch)
    while timing.seconds(epochs) > seconds:
        epochs -= 1
    return epochs


def make_config_for_minutes(data_root: str, minutes: float, out_file: str = None,
                            timing: Optional[EpochTiming] = None,
                            **kwargs) -> Tuple[str, EpochTiming, int]:
    """``make_config``'s config with the epochs that fit ``minutes`` of training here.

    The default recipe is timed for a few epochs on this machine (with the current torch
    threads), then written again with the most epochs whose predicted training time fits;
    its warm-up, cosine and weight averaging span those epochs, so the schedule completes.

    Args:
        data_root (str): Folder written by the importer.
        minutes (float): Training budget in minutes (> 0).
        out_file (str, optional): Where the config will live (named in its comments).
        timing (EpochTiming, optional): The config's times on this machine; measured with
            :func:`time_training` when not given.
        **kwargs: Other ``make_config`` arguments (not ``max_epochs``).

    Returns:
        tuple: The config text, the measured :class:`EpochTiming` and the epochs.

    Raises:
        ValueError: ``minutes`` is not a positive number, ``max_epochs`` is given, or the
            budget is too small for one epoch.
    """
    if not isinstance(minutes, (int, float)) or not math.isfinite(minutes) or minutes <= 0:
        raise ValueError(f'minutes must be a positive number, got {minutes!r}')
    if kwargs.get('max_epochs') is not None:
        raise ValueError('give either minutes or max_epochs, not both')
    if timing is None:
        with tempfile.TemporaryDirectory() as folder:
            probe = osp.join(folder, 'probe.py')
            with open(probe, 'w') as file:
                file.write(make_config(data_root, probe, **kwargs))
            timing = time_training(Config.fromfile(probe), osp.join(folder, 'work'))
    epochs = epochs_for_seconds(timing, minutes * 60)
    text = make_config(data_root, out_file, max_epochs=epochs, **kwargs)
    note = (f'# {epochs} epochs fit a {minutes:g}-minute budget on this machine (measured: '
            f'{timing.epoch:.2f} s per epoch, {timing.validation:.2f} s per validation, '
            f'{timing.startup:.0f} s start-up)\n')
    return text.replace('train_cfg = dict(', note + 'train_cfg = dict(', 1), timing, epochs
