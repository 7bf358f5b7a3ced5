"""A real 2-process gloo run (torchrun via tools/dist_train.sh) against a 1-process run."""
import json
import os
import os.path as osp
import re
import socket
import sys

import pytest
import torch

from mmpose_animal.engine import finish_distributed, setup_distributed
from mmengine.config import Config

from ..conftest import run_command as run
# the metrics of the two runs may differ only by floating-point summation order
METRIC_TOLERANCE = dict(PCK=0.02, AUC=0.01, EPE=0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def last_val_metrics(work_dir):
    (stamp,) = [d for d in os.listdir(work_dir) if osp.isdir(osp.join(work_dir, d))]
    with open(osp.join(work_dir, stamp, 'vis_data', 'scalars.json')) as file:
        entries = [json.loads(line) for line in file]
    return [e for e in entries if 'PCK' in e][-1]


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU (gloo) path')
def test_two_gloo_processes_train_like_one(tiny_fly_config, tmp_path):
    config = tiny_fly_config(deterministic=True, max_epochs=2)
    dist_dir, single_dir = str(tmp_path / 'dist'), str(tmp_path / 'single')
    run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir', dist_dir,
         '--cfg-options', 'train_dataloader.batch_size=4'], PORT=str(free_port()))
    run([sys.executable, 'tools/train.py', config, '--work-dir', single_dir])

    rank0 = torch.load(osp.join(dist_dir, 'rank0_weights.pth'), weights_only=True)
    rank1 = torch.load(osp.join(dist_dir, 'rank1_weights.pth'), weights_only=True)
    single = torch.load(osp.join(single_dir, 'rank0_weights.pth'), weights_only=True)
    for key in rank0:
        assert torch.equal(rank0[key], rank1[key]), key  # ranks stay in lockstep
        torch.testing.assert_close(rank0[key], single[key], rtol=1e-3, atol=1e-4)
    dist_metrics, single_metrics = last_val_metrics(dist_dir), last_val_metrics(single_dir)
    for name, tolerance in METRIC_TOLERANCE.items():
        assert abs(dist_metrics[name] - single_metrics[name]) <= tolerance, name
    assert osp.isfile(osp.join(dist_dir, 'epoch_2.pth'))

    # testing the same checkpoint with 2 processes gives the 1-process metrics
    checkpoint = osp.join(dist_dir, 'epoch_2.pth')
    one, two = tmp_path / 'one.json', tmp_path / 'two.json'
    run([sys.executable, 'tools/test.py', config, checkpoint, '--work-dir',
         str(tmp_path / 'test1'), '--out', str(one)])
    run(['bash', 'tools/dist_test.sh', config, checkpoint, '2', '--work-dir',
         str(tmp_path / 'test2'), '--out', str(two)], PORT=str(free_port()))
    one, two = json.loads(one.read_text()), json.loads(two.read_text())
    assert one.keys() == two.keys()
    for name in one:
        # (NaN both: the error with p-cutoff when no point scores above the cut)
        assert two[name] == pytest.approx(one[name], rel=1e-5, abs=1e-6, nan_ok=True), name


def test_launcher_none_leaves_the_config_alone():
    cfg = Config(dict(model=dict()))
    assert setup_distributed(cfg, 'none') == 'none' and cfg.launcher == 'none'
    assert 'model_wrapper_cfg' not in cfg


def test_finishing_leaves_the_process_group(tmp_path):
    finish_distributed()  # no group: nothing to do
    torch.distributed.init_process_group('gloo', init_method=f'file://{tmp_path}/store',
                                         rank=0, world_size=1)
    assert torch.distributed.is_initialized()
    finish_distributed()
    assert not torch.distributed.is_initialized()


def test_distributed_launcher_without_its_environment_is_a_clear_error(monkeypatch):
    for name in ('RANK', 'WORLD_SIZE', 'SLURM_PROCID'):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match=r'--launcher pytorch needs the environment .*'
                                         r'tools/dist_train.sh'):
        setup_distributed(Config(dict()), 'pytorch')
    with pytest.raises(ValueError, match=r"launcher must be one of .* got 'mpi'"):
        setup_distributed(Config(dict()), 'mpi')


def rank_pids(parent_pid: int) -> dict:
    """{RANK: pid} of the worker processes below ``parent_pid`` (read from /proc)."""
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open(f'/proc/{pid}/environ', 'rb') as file:
                environ = dict(item.split(b'=', 1) for item in file.read().split(b'\0')
                               if b'=' in item)
            with open(f'/proc/{pid}/stat') as file:
                ppid = int(file.read().rsplit(')', 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            continue
        if b'RANK' in environ and b'TORCHELASTIC_RUN_ID' in environ and ppid == parent_pid:
            found[int(environ[b'RANK'])] = int(pid)
    return found


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU (gloo) path')
def test_a_dead_rank_ends_the_job_quickly_and_is_named(tiny_fly_config, tmp_path):
    import signal
    import subprocess
    import time

    from ..conftest import ROOT, tool_env
    config = tiny_fly_config(max_epochs=200)
    work_dir = tmp_path / 'work'
    # run from tmp_path: the killed job leaves mmengine's result parts in ./.dist_test
    job = subprocess.Popen(['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), config, '2',
                            '--work-dir', str(work_dir)], cwd=tmp_path,
                           env=tool_env(PORT=str(free_port())),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 180
        while not (work_dir / 'epoch_1.pth').exists() and time.time() < deadline:
            assert job.poll() is None, job.stdout.read()[-3000:]
            time.sleep(0.2)
        ranks = rank_pids(job.pid)
        assert sorted(ranks) == [0, 1], ranks
        os.kill(ranks[1], signal.SIGKILL)
        killed = time.time()
        output, _ = job.communicate(timeout=60)  # TimeoutExpired = the job hangs
        assert time.time() - killed < 60
    finally:
        if job.poll() is None:
            job.kill()
    assert job.returncode != 0
    assert re.search(r'rank\s*:\s*1 \(local_rank: 1\)', output), output[-3000:]
    assert 'exitcode  : -9' in output or 'Signal 9' in output, output[-3000:]
