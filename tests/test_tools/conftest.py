"""Fixtures for the command-line tools: they run as real subprocesses."""
import os.path as osp
import sys

import pytest

from ..conftest import run_command, write_tiny_fly_config


def run_tool(*args, check=True, timeout=600, **env):
    """Run ``python tools/<args>`` from the project root; return the CompletedProcess."""
    return run_command([sys.executable, *args], check=check, timeout=timeout, **env)


@pytest.fixture(scope='session')
def trained_run(tmp_path_factory, fly17_root):
    """A tiny config trained for 2 epochs with tools/train.py: (config, work_dir)."""
    folder = tmp_path_factory.mktemp('trained')
    config = write_tiny_fly_config(folder / 'tiny_fly.py', fly17_root, max_epochs=2)
    work_dir = str(folder / 'work')
    run_tool('tools/train.py', config, '--work-dir', work_dir)
    assert osp.isfile(osp.join(work_dir, 'epoch_2.pth'))
    return config, work_dir
