"""A test-only hook: each rank saves its final weights, to compare ranks and runs."""
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmpose.registry import HOOKS


@HOOKS.register_module()
class SaveRankWeightsHook(Hook):
    """Write ``<work_dir>/rank<r>_weights.pth`` (the unwrapped model's state dict)."""

    def after_run(self, runner) -> None:
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        torch.save(model.state_dict(), osp.join(runner.work_dir, f'rank{get_rank()}_weights.pth'))
