"""Stop training once a wall-clock budget is spent (e.g. to compare models fairly)."""
import time

from mmengine.hooks import Hook
from mmpose.registry import HOOKS


@HOOKS.register_module()
class TimeBudgetHook(Hook):
    """End training after the first epoch that finishes past ``budget_seconds``.

    The time counts from the start of training (validation included); the run keeps its
    last full epoch, so the overshoot is at most one epoch. The time actually spent is
    logged and kept in the message hub as ``train_seconds``.

    Args:
        budget_seconds (float): The budget, in seconds (> 0).
    """

    priority = 'LOW'

    def __init__(self, budget_seconds: float):
        if budget_seconds <= 0:
            raise ValueError(f'budget_seconds must be > 0, got {budget_seconds}')
        self.budget_seconds = budget_seconds
        self.start = None

    def before_train(self, runner) -> None:
        self.start = time.perf_counter()

    def after_train_epoch(self, runner) -> None:
        spent = time.perf_counter() - self.start
        runner.message_hub.update_info('train_seconds', spent)
        if spent >= self.budget_seconds:
            runner.logger.info(f'time budget of {self.budget_seconds:.0f} s spent '
                               f'({spent:.0f} s) after epoch {runner.epoch + 1}: stopping')
            runner.train_loop.stop_training = True
