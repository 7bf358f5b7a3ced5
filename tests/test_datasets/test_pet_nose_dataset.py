import os

import cv2
import numpy as np
import pytest

from mmpose.registry import DATASETS
from mmpose_animal.data_tools import convert_petnose_to_coco
from mmpose_animal.datasets import PetNoseDataset, read_nose_labels


def make_dataset_dir(tmp_path, lines, sizes):
    """Images of the given (w, h) sizes and a CRLF label file with the given lines."""
    (tmp_path / 'images').mkdir()
    for name, (width, height) in sizes.items():
        cv2.imwrite(str(tmp_path / 'images' / name), np.full((height, width, 3), 99, np.uint8))
    (tmp_path / 'train_noses.txt').write_bytes(''.join(f'{l}\r\n' for l in lines).encode())
    return str(tmp_path)


def build(root, ann_file='train_noses.txt', **kwargs):
    return PetNoseDataset(ann_file=ann_file, data_root=root, data_prefix=dict(img='images/'),
                          pipeline=[], **kwargs)


def test_reads_labels_with_whole_image_boxes_from_headers(tmp_path):
    root = make_dataset_dir(tmp_path, ['a.jpg,"(10, 20)"', 'b.png,"(299, 0)"'],
                            {'a.jpg': (240, 320), 'b.png': (300, 200)})
    dataset = build(root)
    assert len(dataset) == 2
    first, second = dataset.get_data_info(0), dataset.get_data_info(1)
    np.testing.assert_array_equal(first['keypoints'], [[[10, 20]]])
    # whole image, clipped to the last pixel as mmpose does for json boxes
    np.testing.assert_array_equal(first['bbox'], [[0, 0, 239, 319]])
    np.testing.assert_array_equal(second['bbox'], [[0, 0, 299, 199]])
    assert first['img_path'].endswith('images/a.jpg')
    assert dataset.metainfo['num_keypoints'] == 1
    assert dataset.metainfo['keypoint_id2name'] == {0: 'nose'}
    assert dataset.metainfo['flip_indices'] == [0]


def test_registered_and_reads_the_generated_data(petnose_root):
    dataset = DATASETS.build(dict(type='PetNoseDataset', ann_file='train_noses.txt',
                                  data_root=petnose_root, data_prefix=dict(img='images/')))
    labels = read_nose_labels(os.path.join(petnose_root, 'train_noses.txt'))
    assert len(dataset) == len(labels) == 9


def test_missing_image_is_an_error_naming_it(tmp_path):
    root = make_dataset_dir(tmp_path, ['a.jpg,"(1, 2)"', 'gone.jpg,"(3, 4)"'],
                            {'a.jpg': (50, 50)})
    with pytest.raises(FileNotFoundError, match=r'1 image\(s\) listed in .*train_noses.txt are '
                                                r'missing .*gone.jpg \(line 2\).*skip_missing'):
        build(root)


def test_skip_missing_warns_with_count_and_names(tmp_path):
    root = make_dataset_dir(tmp_path, ['a.jpg,"(1, 2)"', 'gone.jpg,"(3, 4)"', 'lost.jpg,"(1, 1)"'],
                            {'a.jpg': (50, 50)})
    with pytest.warns(UserWarning, match=r'2 image\(s\) .* gone.jpg \(line 2\), '
                                         r'lost.jpg \(line 3\); skipped'):
        dataset = build(root, skip_missing=True)
    assert len(dataset) == 1


@pytest.mark.parametrize('x,y', [(50, 10), (10, 40), (-1, 5)])
def test_nose_outside_its_image_names_file_and_line(tmp_path, x, y):
    root = make_dataset_dir(tmp_path, ['a.jpg,"(1, 2)"', f'b.jpg,"({x}, {y})"'],
                            {'a.jpg': (50, 40), 'b.jpg': (50, 40)})
    with pytest.raises(ValueError, match=r'train_noses.txt:2: keypoint 0 at .* lies outside '
                                         r'the 50x40 image'):
        build(root)


def test_corrupt_image_is_an_error(tmp_path):
    root = make_dataset_dir(tmp_path, ['a.jpg,"(1, 2)"'], {})
    (tmp_path / 'images' / 'a.jpg').write_bytes(b'not a jpeg at all')
    with pytest.raises(ValueError, match=r'train_noses.txt:1: image .*a.jpg is corrupt'):
        build(root)


def test_malformed_and_empty_label_files_fail_at_build(tmp_path):
    root = make_dataset_dir(tmp_path, ['a.jpg;(1, 2)'], {'a.jpg': (10, 10)})
    with pytest.raises(ValueError, match=r'train_noses.txt:1: malformed nose label'):
        build(root)


def test_coco_json_gives_the_same_samples_as_the_txt(petnose_root, tmp_path):
    out = str(tmp_path / 'petnose_train.json')
    convert_petnose_to_coco(os.path.join(petnose_root, 'train_noses.txt'),
                            os.path.join(petnose_root, 'images'), out)
    from_txt = build(petnose_root)
    from_json = PetNoseDataset(ann_file=out, data_prefix=dict(img=os.path.join(
        petnose_root, 'images/')), pipeline=[])
    assert len(from_json) == len(from_txt)
    for i in range(len(from_txt)):
        a, b = from_txt.get_data_info(i), from_json.get_data_info(i)
        assert os.path.basename(a['img_path']) == os.path.basename(b['img_path'])
        np.testing.assert_allclose(a['keypoints'], b['keypoints'])


def test_json_nose_outside_its_image_is_an_error(tmp_path):
    import json
    root = make_dataset_dir(tmp_path, ['a.jpg,"(1, 2)"'], {'a.jpg': (20, 20)})
    out = tmp_path / 'ann.json'
    convert_petnose_to_coco(str(tmp_path / 'train_noses.txt'), str(tmp_path / 'images'),
                            str(out))
    coco = json.loads(out.read_text())
    coco['annotations'][0]['keypoints'] = [30, 2, 2]
    out.write_text(json.dumps(coco))
    with pytest.raises(ValueError, match=r'ann.json: annotation id 0 \(a.jpg\): keypoint 0'):
        PetNoseDataset(ann_file=str(out), data_prefix=dict(img=root + '/images/'), pipeline=[])


def test_the_noses_file_is_read_without_a_temporary_json(petnose_root, monkeypatch):
    """Each line becomes its COCO image and annotation in memory: no json is written for
    mmpose's COCO loader to read."""
    from mmpose.datasets.datasets.base import base_coco_style_dataset

    def refuse(*args, **kwargs):
        raise AssertionError('the noses file went through a COCO json file')
    monkeypatch.setattr(base_coco_style_dataset, 'COCO', refuse)
    assert len(build(petnose_root)) == 9


def test_datasets_do_not_import_the_data_tools():
    """datasets/ is below data_tools/: the converters use the datasets, never the reverse."""
    import glob
    import mmpose_animal.datasets as datasets
    for path in glob.glob(os.path.join(os.path.dirname(datasets.__file__), '**', '*.py'),
                          recursive=True):
        with open(path) as file:
            assert 'data_tools' not in file.read(), path
