"""kill -9 never costs more than the last checkpoint interval: resume ends where an
uninterrupted run ends, and every kept checkpoint loads."""
import glob
import os.path as osp
import random
import subprocess
import sys
import time

import torch

from ..conftest import ROOT, tool_env
from .conftest import run_tool

MAX_EPOCHS = 8
ITERS_PER_EPOCH = 4  # 32 training frames, batch 8


def start(config, work_dir):
    return subprocess.Popen([sys.executable, 'tools/train.py', config, '--work-dir',
                             str(work_dir), '--resume'], cwd=ROOT, env=tool_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_when(process, condition, timeout=120):
    deadline = time.time() + timeout
    while not condition() and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    process.kill()
    process.wait()


def test_kill_9_five_times_then_resume_to_the_end(tiny_fly_config, tmp_path):
    config = tiny_fly_config(max_epochs=MAX_EPOCHS, extra=(
        "custom_imports = dict(imports=['mmpose_animal', 'slow_checkpoint_backend'], "
        "allow_failed_imports=False)\n"
        "custom_hooks = []\n"
        "train_cfg = dict(max_epochs=%d, val_interval=100)\n"
        "default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=100, "
        "backend_args=dict(backend='slow_atomic_local')))\n" % MAX_EPOCHS))
    work_dir = tmp_path / 'work'
    marker = work_dir / 'WRITING_CHECKPOINT'
    rng = random.Random(0)
    pointer = work_dir / 'last_checkpoint'

    def saved():
        return pointer.read_text() if pointer.exists() else ''

    for attempt in range(5):
        if marker.exists():  # left by a run killed while writing
            marker.unlink()
        process = start(config, work_dir)
        if attempt == 2:  # in the middle of a checkpoint write
            kill_when(process, marker.exists)
            continue
        # at a random moment after this run saved its first checkpoint
        before, delay, since = saved(), rng.uniform(0, 2), []

        def moment():
            if not since and saved() != before:
                since.append(time.time())
            return bool(since) and time.time() - since[0] > delay
        kill_when(process, moment)
    result = run_tool('tools/train.py', config, '--work-dir', str(work_dir), '--resume')
    assert 'resuming from' in result.stdout
    last = (work_dir / 'last_checkpoint').read_text().strip()
    meta = torch.load(last, weights_only=True)['meta']
    assert (meta['epoch'], meta['iter']) == (MAX_EPOCHS, MAX_EPOCHS * ITERS_PER_EPOCH)
    kept = glob.glob(str(work_dir / '*.pth'))
    assert osp.join(str(work_dir), f'epoch_{MAX_EPOCHS}.pth') in kept
    for path in kept:
        torch.load(path, weights_only=True)  # whole checkpoints only
    assert not glob.glob(str(work_dir / '*.partial-*'))
