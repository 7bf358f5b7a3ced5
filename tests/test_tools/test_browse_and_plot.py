import os

import cv2

from .conftest import run_tool


def test_browse_dataset_draws_raw_and_augmented_samples(tiny_fly_config, tmp_path):
    out = tmp_path / 'browse'
    run_tool('tools/browse_dataset.py', tiny_fly_config(), '--num', '2', '--out-dir', str(out))
    names = sorted(os.listdir(out))
    assert len(names) == 4
    assert sum(n.endswith('_raw.png') for n in names) == 2
    augmented = cv2.imread(str(out / [n for n in names if 'pipeline' in n][0]))
    assert augmented.shape == (64, 64, 3)  # the model's input size


def test_plot_curves_writes_a_png(trained_run, tmp_path):
    _, work_dir = trained_run
    out = tmp_path / 'curves.png'
    run_tool('tools/plot_curves.py', work_dir, '--out', str(out))
    image = cv2.imread(str(out))
    assert image is not None and image.shape[0] > 200
    missing = run_tool('tools/plot_curves.py', str(tmp_path), check=False)
    assert missing.returncode != 0 and 'scalars.json' in missing.stderr
