import filecmp
import os

import cv2
import numpy as np

from mmpose_animal.data_tools import make_synthetic_petnose, render_pet
from mmpose_animal.data_tools.synthetic_petnose import NOSE_COLOR_MAX
from mmpose_animal.datasets import read_nose_labels


def test_labels_are_in_the_public_format_with_crlf(petnose_root):
    raw = open(os.path.join(petnose_root, 'train_noses.txt'), 'rb').read()
    first = raw.split(b'\r\n')[0].decode()
    assert raw.count(b'\r\n') == 9 and b'\n' not in raw.replace(b'\r\n', b'')
    name, coords = first.split(',', 1)
    assert name.endswith('.jpg') and coords.startswith('"(') and coords.endswith(')"')
    assert len(read_nose_labels(os.path.join(petnose_root, 'test_noses.txt'))) == 3


def test_the_labelled_pixel_has_the_nose_colour(petnose_root):
    sizes = set()
    for split in ('train', 'test'):
        for label in read_nose_labels(os.path.join(petnose_root, f'{split}_noses.txt')):
            image = cv2.imread(os.path.join(petnose_root, 'images', label.file_name))
            sizes.add(image.shape[:2])
            nose = image[int(label.y), int(label.x)].astype(int)
            assert nose.max() <= NOSE_COLOR_MAX + 25, (label, nose)  # JPEG error allowed
            assert 200 <= image.shape[0] <= 500 and 200 <= image.shape[1] <= 500
    assert len(sizes) > 6  # varied sizes


def test_render_reports_the_nose_it_drew():
    image, head = render_pet(np.random.default_rng(5))
    x, y = np.round(head.nose).astype(int)
    np.testing.assert_allclose(image[y, x], head.nose_color, atol=12)


def test_deterministic_for_a_seed(tmp_path):
    make_synthetic_petnose(str(tmp_path / 'a'), num=4, seed=2)
    make_synthetic_petnose(str(tmp_path / 'b'), num=4, seed=2)
    assert filecmp.cmp(tmp_path / 'a/train_noses.txt', tmp_path / 'b/train_noses.txt',
                       shallow=False)
    cmp = filecmp.dircmp(tmp_path / 'a/images', tmp_path / 'b/images')
    assert not cmp.diff_files and len(cmp.same_files) == 4
