"""tools/test.py on a crop-based model evaluates the whole path: the boxes are found by the
model, never read from the labels."""
import json
import os.path as osp

import torch
from mmengine.config import Config

from mmpose.apis import init_model
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.fileio.labels import read_labels, write_dataset
from ..test_fileio.label_sources import write_dlc_project
from .conftest import run_tool


def _metrics(config, checkpoint, tmp_path, name, *options):
    out = str(tmp_path / f'{name}.json')
    run_tool('tools/test.py', config, checkpoint, '--work-dir', str(tmp_path / name),
             '--out', out, '--cfg-options', 'test_dataloader.num_workers=0',
             'test_dataloader.persistent_workers=False', *options)
    with open(out) as file:
        return json.load(file)


def test_test_py_never_reads_the_label_boxes(tmp_path):
    """Label boxes moved to a wrong corner change nothing in crop mode; the same file read
    with its boxes (whole_image_boxes=False) changes the metrics, so this test can fail."""
    data = str(tmp_path / 'data')
    write_dataset(read_labels(write_dlc_project(str(tmp_path / 'proj'))), data)
    config = str(tmp_path / 'crop.py')
    with open(config, 'w') as file:
        file.write(make_config(data, config, crop='on', max_epochs=1))
    torch.manual_seed(0)
    model = init_model(Config.fromfile(config), device='cpu')
    checkpoint = str(tmp_path / 'random.pth')
    torch.save(dict(state_dict=model.state_dict()), checkpoint)

    with open(osp.join(data, 'annotations', 'test.json')) as file:
        coco = json.load(file)
    for ann in coco['annotations']:
        ann['bbox'] = [40.0, 30.0, 8.0, 6.0]  # a small box away from the animal
    with open(osp.join(data, 'annotations', 'wrong_boxes.json'), 'w') as file:
        json.dump(coco, file)

    labels = _metrics(config, checkpoint, tmp_path, 'labels')
    wrong = 'test_dataloader.dataset.ann_file=annotations/wrong_boxes.json'
    assert _metrics(config, checkpoint, tmp_path, 'wrong', wrong) == labels
    read = _metrics(config, checkpoint, tmp_path, 'read', wrong,
                    'test_dataloader.dataset.whole_image_boxes=False')
    assert read['EPE'] != labels['EPE']
