import json
import os.path as osp

import h5py
import numpy as np

from .conftest import run_tool


def test_make_synthetic_data_cli_and_overwrite_refusal(tmp_path):
    out = str(tmp_path / 'fly')
    result = run_tool('tools/make_synthetic_data.py', 'fly17', '--out', out, '--num', '5')
    assert 'fly17_train.json' in result.stdout
    again = run_tool('tools/make_synthetic_data.py', 'fly17', '--out', out, '--num', '5',
                     check=False)
    assert again.returncode != 0 and 'pass --force' in again.stderr
    run_tool('tools/make_synthetic_data.py', 'petnose', '--out', str(tmp_path / 'pet'),
             '--num', '4')
    assert osp.isfile(tmp_path / 'pet' / 'train_noses.txt')


def test_converter_clis(tmp_path):
    source = tmp_path / 'flies.h5'
    with h5py.File(source, 'w') as file:
        file['images'] = np.zeros((5, 32, 32, 1), np.uint8)
        file['annotations'] = np.full((5, 32, 2), 10.0)
    run_tool('tools/dataset_converters/fly32_to_fly17.py', str(source), '--out',
             str(tmp_path / 'fly17'), '--ratios', '0.6', '0.2', '0.2')
    train = json.loads((tmp_path / 'fly17/annotations/fly17_train.json').read_text())
    assert len(train['images']) == 3

    run_tool('tools/make_synthetic_data.py', 'petnose', '--out', str(tmp_path / 'pet'),
             '--num', '3')
    out = tmp_path / 'pet' / 'annotations' / 'petnose_train.json'
    run_tool('tools/dataset_converters/petnose_to_coco.py', str(tmp_path / 'pet/train_noses.txt'),
             '--image-dir', str(tmp_path / 'pet/images'), '--out', str(out))
    assert json.loads(out.read_text())['categories'][0]['keypoints'] == ['nose']
    again = run_tool('tools/dataset_converters/petnose_to_coco.py',
                     str(tmp_path / 'pet/train_noses.txt'), '--image-dir',
                     str(tmp_path / 'pet/images'), '--out', str(out), check=False)
    assert again.returncode != 0 and 'pass --force' in again.stderr
