"""Bad label input: each case is a clear error naming the file, and nothing is written."""
import os
import os.path as osp

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmpose_animal.fileio.labels import read_labels, write_dataset
from .label_sources import write_dlc_project


def test_dlc_folder_without_config_yaml(tmp_path):
    os.makedirs(tmp_path / 'proj' / 'labeled-data')
    with pytest.raises(FileNotFoundError, match=r'proj: no project file found; expected '
                                                r'config.yaml \(a DeepLabCut project'):
        read_labels(str(tmp_path / 'proj'))
    with pytest.raises(FileNotFoundError, match=r'proj: no config.yaml'):
        read_labels(str(tmp_path / 'proj'), 'dlc')


def test_dlc_bodyparts_missing_from_the_config(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'), bodyparts=('snout', 'leftear'),
                            table_parts=('snout', 'leftear', 'tail'))
    with pytest.raises(ValueError, match=r"CollectedData_me.csv: body parts \['tail'\] are "
                                         r"not in the project config.yaml"):
        read_labels(src)


def test_duplicate_keypoint_names(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'), bodyparts=('snout', 'ear', 'ear'),
                            table_parts=('snout', 'ear'))
    with pytest.raises(ValueError, match=r"duplicate keypoint names \['ear'\]"):
        read_labels(src)


def test_image_named_by_the_labels_but_missing(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'))
    os.remove(osp.join(src, 'labeled-data', 'v2', 'img0001.png'))
    with pytest.raises(FileNotFoundError, match=r'v2/CollectedData_me.csv: row 2 '
                                                r'\(labeled-data/v2/img0001.png\): image .* '
                                                r'does not exist'):
        read_labels(src)


def test_corrupt_image_is_named_and_nothing_is_written(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'))
    image = osp.join(src, 'labeled-data', 'v3', 'img0001.png')
    with open(image, 'rb') as file:
        head = file.read(60)
    with open(image, 'wb') as file:
        file.write(head)  # truncated
    with pytest.raises(ValueError, match=r'v3/CollectedData_me.csv: row 2 .* is corrupt'):
        write_dataset(read_labels(src), str(tmp_path / 'out'))
    assert os.listdir(tmp_path) == ['p']  # no output, no partial folder


def test_split_left_without_labelled_points(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'), videos={'v1': 3})  # 3 frames: val gets none
    with pytest.raises(ValueError, match=r'the val split has no labelled point \(0 '):
        write_dataset(read_labels(src), str(tmp_path / 'out'), ratios=(0.8, 0.1, 0.1))
    assert os.listdir(tmp_path) == ['p']
    summary = write_dataset(read_labels(src), str(tmp_path / 'out'), ratios=(1.0, 0.0, 0.0))
    assert list(summary.splits) == ['train']  # a split asked to be empty is not written
    assert os.listdir(tmp_path / 'out' / 'annotations') == ['train.json']


def test_point_outside_its_image(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'))
    table = osp.join(src, 'labeled-data', 'v1', 'CollectedData_me.csv')
    with open(table) as file:
        text = file.read()
    with open(table, 'w') as file:
        file.write(text.replace('labeled-data/v1/img0002.png,12,', 'labeled-data/v1/img0002.png,99,'))
    with pytest.raises(ValueError, match=r'row 3 \(labeled-data/v1/img0002.png\): keypoint '
                                         r'snout at \(99, 20\) lies outside the 64x48'):
        write_dataset(read_labels(src), str(tmp_path / 'out'))


def test_existing_output_needs_force(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'))
    out = tmp_path / 'out'
    out.mkdir()
    (out / 'keep.txt').write_text('mine')
    with pytest.raises(FileExistsError, match='pass --force'):
        write_dataset(read_labels(src), str(out))
    assert (out / 'keep.txt').read_text() == 'mine'
    write_dataset(read_labels(src), str(out), force=True)
    assert not (out / 'keep.txt').exists() and (out / 'metainfo.py').exists()


def test_split_by_video_needs_enough_videos(tmp_path):
    src = write_dlc_project(str(tmp_path / 'p'), videos={'v1': 4, 'v2': 4})
    with pytest.raises(ValueError, match=r'splitting by video needs at least 3 videos'):
        write_dataset(read_labels(src), str(tmp_path / 'out'), split_by='video')


CELL = st.one_of(st.floats(-50, 500, allow_nan=False).map(lambda v: f'{v:g}'), st.just(''),
                 st.text(st.characters(whitelist_categories=('L', 'N', 'P', 'Zs'),
                                       blacklist_characters=',"\'\n\r'), max_size=6))


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(CELL, min_size=6, max_size=6))
def test_any_dlc_csv_row_imports_or_is_an_error_naming_the_file(tmp_path_factory, cells):
    src = write_dlc_project(str(tmp_path_factory.mktemp('fuzz') / 'p'), videos={'v1': 2})
    table = osp.join(src, 'labeled-data', 'v1', 'CollectedData_me.csv')
    with open(table) as file:
        lines = file.read().splitlines()
    lines[3] = ','.join(['labeled-data/v1/img0000.png'] + cells)
    with open(table, 'w') as file:
        file.write('\n'.join(lines) + '\n')
    try:
        label_set = read_labels(src)
    except ValueError as error:
        assert table in str(error)
        return
    assert len(label_set.frames) == 2  # no row silently dropped


def test_a_project_without_any_labelled_point_is_refused(tmp_path):
    nan_rows = {(video, i, k) for video in ('v1', 'v2') for i in range(2) for k in range(3)}
    src = write_dlc_project(str(tmp_path / 'proj'), videos={'v1': 2, 'v2': 2},
                            nan_rows=nan_rows)
    with pytest.raises(ValueError, match='no frame has a labelled point'):
        write_dataset(read_labels(src), str(tmp_path / 'out'))
    assert not os.path.exists(tmp_path / 'out')


def test_an_option_the_format_does_not_take_is_refused(tmp_path):
    src = write_dlc_project(str(tmp_path / 'proj'))
    with pytest.raises(ValueError, match=r'is a DeepLabCut project folder \(config.yaml, '
                                         r'labeled-data/\), which takes no '
                                         r'options; got skeleton_csv'):
        read_labels(src, skeleton_csv='skeleton.csv')
    with pytest.raises(ValueError, match=r"format must be one of \('dlc', 'lp', 'slp', "):
        read_labels(src, 'csv')
    with pytest.raises(ValueError, match=r'notes.txt: unknown label source; expected one of: '
                                         r'a DeepLabCut project folder .*, a SLEAP'):
        (tmp_path / 'notes.txt').write_text('x')
        read_labels(str(tmp_path / 'notes.txt'))
