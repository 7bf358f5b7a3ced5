import json
import os
import os.path as osp
import re
import subprocess
import sys
import time

import pytest
import torch

from ..conftest import ROOT, tool_env
from .conftest import run_tool

DIST_KEYS = {'dist/min', 'dist/mean', 'dist/median', 'dist/p95', 'dist/max', 'dist/std',
             'dist/mean_norm', 'dist/mean_head', 'dist/mean_hindlegR4'}


def test_train_then_test_writes_metrics_predictions_and_overlays(trained_run, tmp_path):
    config, work_dir = trained_run
    out, dump, show = tmp_path / 'metrics.json', tmp_path / 'pred.json', tmp_path / 'overlays'
    result = run_tool('tools/test.py', config, osp.join(work_dir, 'epoch_2.pth'),
                      '--work-dir', str(tmp_path / 'test'), '--out', str(out),
                      '--dump', str(dump), '--show-dir', str(show))
    metrics = json.loads(out.read_text())
    assert {'PCK', 'AUC', 'EPE'} | DIST_KEYS <= set(metrics)
    assert 0 <= metrics['PCK'] <= 1
    assert metrics['dist/mean'] == pytest.approx(metrics['EPE'], rel=1e-5)  # both in pixels
    assert re.search(r'dist/p95\s+\d+\.\d{4}', result.stdout)  # the printed table
    records = json.loads(dump.read_text())
    assert len(records) == 4 and len(records[0]['keypoints']) == 17  # the 4 test frames
    assert sorted(os.listdir(show)) == sorted(
        osp.splitext(osp.basename(r['img_path']))[0] + '.png' for r in records)


def test_resume_after_an_interrupted_run_continues_at_the_saved_iteration(
        tiny_fly_config, tmp_path):
    config = tiny_fly_config(max_epochs=40)
    work_dir = tmp_path / 'work'
    process = subprocess.Popen([sys.executable, 'tools/train.py', config, '--work-dir',
                                str(work_dir)], cwd=ROOT, env=tool_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (work_dir / 'last_checkpoint').exists() and time.time() < deadline:
        time.sleep(0.2)
    process.kill()  # interrupted mid-run
    process.wait()
    checkpoint = (work_dir / 'last_checkpoint').read_text().strip()
    saved = torch.load(checkpoint, weights_only=True)['meta']
    assert saved['epoch'] < 40

    result = run_tool('tools/train.py', config, '--work-dir', str(work_dir), '--resume',
                      '--cfg-options', f'train_cfg.max_epochs={saved["epoch"] + 1}')
    log = result.stdout + result.stderr
    assert f'resumed epoch: {saved["epoch"]}, iter: {saved["iter"]}' in log
    for noise in ('The prefix is not set', 'FileClient', 'HardDiskBackend', 'pkg_resources'):
        assert noise not in log  # the stack's warnings that are ours to silence
    first_train_line = re.search(r'Epoch\(train\)\s+\[(\d+)\]\[\s*(\d+)/', log)
    assert first_train_line.groups() == (str(saved['epoch'] + 1), '1')
    assert (work_dir / f'epoch_{saved["epoch"] + 1}.pth').exists()


def test_bad_command_lines_give_clear_errors(trained_run, tmp_path):
    config, work_dir = trained_run
    checkpoint = osp.join(work_dir, 'epoch_2.pth')
    cases = [
        (('tools/train.py', 'configs/nope.py'), 'config file configs/nope.py does not exist'),
        (('tools/test.py', config, str(tmp_path / 'none.pth')), 'none.pth does not exist'),
        (('tools/train.py', config, '--cfg-options', 'train_cfg.max_epoch=3'),
         "did you mean ['max_epochs']"),
        (('tools/test.py', config, checkpoint, '--cfg-options', 'test_dataloader.batchsize=2'),
         "did you mean ['batch_size']"),
    ]
    wrong = tmp_path / 'wrong.pth'
    torch.save(dict(state_dict=dict(weight=torch.ones(3))), wrong)
    cases.append((('tools/test.py', config, str(wrong)), 'does not fit the model'))
    corrupt = tmp_path / 'corrupt.pth'
    corrupt.write_bytes(b'PK\x03\x04 truncated')
    cases.append((('tools/test.py', config, str(corrupt)), 'is corrupt or not a torch checkpoint'))
    for args, message in cases:
        result = run_tool(*args, check=False)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr[-2000:])
