"""The "your own animal" path on the real DeepLabCut example: import, make a config, train,
predict on the real video, export for DeepLabCut and SLEAP; and check_dataset."""
import json
import os.path as osp

import cv2
import pandas as pd
import pytest
import sleap_io
from mmengine.config import Config

from ..test_fileio.label_sources import SHARED_DLC
from .conftest import run_tool

needs_shared = pytest.mark.skipif(not osp.isdir(SHARED_DLC),
                                  reason='../shared/data/dlc-openfield is not here')


@pytest.fixture(scope='module')
def mouse(tmp_path_factory):
    """The real project imported (linked in place) and a generated config, shrunk to run in
    seconds: (data folder, config path)."""
    folder = tmp_path_factory.mktemp('mouse')
    data = str(folder / 'data')
    result = run_tool('tools/dataset_converters/import_labels.py', SHARED_DLC, '--out', data,
                      '--link')
    assert 'flip pairs (from keypoint names; check them): leftear <-> rightear' in result.stdout
    assert '4 keypoints: snout, leftear, rightear, tailbase' in result.stdout
    config = str(folder / 'mouse.py')
    run_tool('tools/make_config.py', data, '--out', config, '--long-side', '128',
             '--epochs', '1', '--batch-size', '8')
    return data, config


@needs_shared
def test_make_config_follows_the_frames_and_refuses_to_overwrite(mouse):
    data, config = mouse
    cfg = Config.fromfile(config)
    # the mouse spans 17 % of the frame: crops around it, square (any heading)
    assert cfg.model.type == 'CropTopdownPoseEstimator'
    assert cfg.test_dataloader.dataset.whole_image_boxes
    assert tuple(cfg.codec.input_size) == (128, 128) and tuple(cfg.codec.heatmap_size) == (32, 32)
    assert cfg.model.head.out_channels == 4
    assert cfg.metainfo.from_file == osp.join(data, 'metainfo.py')
    again = run_tool('tools/make_config.py', data, '--out', config, check=False)
    assert again.returncode != 0 and 'pass --force' in again.stderr
    budget = run_tool('tools/make_config.py', data, '--out', config + '.budget.py',
                      '--minutes', '-1', check=False)
    assert budget.returncode != 0 and 'minutes must be a positive number' in budget.stderr
    assert not osp.exists(config + '.budget.py')


@needs_shared
def test_train_then_predict_the_real_video_as_dlc_and_slp(mouse, tmp_path):
    _, config = mouse
    work_dir = str(tmp_path / 'work')
    no_workers = ('train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
                  'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False')
    trained = run_tool('tools/train.py', config, '--work-dir', work_dir, '--cfg-options',
                       *no_workers)
    assert 'train.py: trained 1 epochs' in trained.stdout
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    clip = str(tmp_path / 'clip.mp4')  # the first 5 frames of the real recording
    capture = cv2.VideoCapture(osp.join(SHARED_DLC, 'videos', 'm3v1mp4.mp4'))
    writer = cv2.VideoWriter(clip, cv2.VideoWriter_fourcc(*'mp4v'), 30, (640, 480))
    for _ in range(5):
        ok, frame = capture.read()
        assert ok
        writer.write(frame)
    writer.release()
    out = tmp_path / 'out'
    result = run_tool('tools/infer.py', config, checkpoint, clip, '--out-dir', str(out),
                      '--format', 'jsonl', 'dlc', 'slp', '--no-overlay')
    assert 'clip.mp4: done, 5 frames' in result.stdout  # the crop model, every frame on its own
    records = [json.loads(line) for line in open(out / 'clip.predictions.jsonl')]
    assert [r['frame'] for r in records] == [0, 1, 2, 3, 4]
    table = pd.read_hdf(out / 'clip_mmpose-animal.h5', key='df_with_missing')
    assert list(table.index) == [0, 1, 2, 3, 4]
    for record in records:
        (instance,) = record['instances']
        for k, name in enumerate(['snout', 'leftear', 'rightear', 'tailbase']):
            x, y = instance['keypoints'][k]
            assert table.loc[record['frame'], ('mmpose-animal', name, 'x')] == \
                pytest.approx(x, abs=0.01)
            assert table.loc[record['frame'], ('mmpose-animal', name, 'y')] == \
                pytest.approx(y, abs=0.01)
    labels = sleap_io.load_slp(str(out / 'clip.predictions.slp'))
    assert len(labels.labeled_frames) == 5
    assert labels.skeleton.node_names == ['snout', 'leftear', 'rightear', 'tailbase']


@needs_shared
def test_check_dataset_lists_every_bad_image(mouse, tmp_path):
    data, config = mouse
    result = run_tool('tools/check_dataset.py', config)
    assert 'train: 93 samples' in result.stdout and 'no problem found' in result.stdout
    # the same labels pointing at two truncated copies
    train = json.load(open(osp.join(data, 'annotations', 'train.json')))
    for image in train['images'][:2]:
        copy = tmp_path / osp.basename(image['file_name'])
        copy.write_bytes(open(image['file_name'], 'rb').read()[:2000])
        image['file_name'] = str(copy)
    broken = tmp_path / 'train.json'
    broken.write_text(json.dumps(train))
    result = run_tool('tools/check_dataset.py', config, '--cfg-options',
                      f'train_dataloader.dataset.ann_file={broken}', check=False)
    assert result.returncode == 1
    assert result.stdout.count('is corrupt or not an image') == 2
    assert 'train: ' in result.stdout and 'annotation id' in result.stdout
