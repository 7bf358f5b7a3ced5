"""The label importer on the real DeepLabCut example and on tiny sources of every format."""
import os
import os.path as osp

import h5py
import numpy as np
import pandas as pd
import pytest
import sleap_io

from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose_animal.fileio.labels import (infer_flip_pairs, parse_flip_pairs,
                                                   read_labels, write_dataset)
from .label_sources import (SHARED_DLC, read_split, write_coco, write_dlc_project,
                            write_images)

needs_shared = pytest.mark.skipif(not osp.isdir(SHARED_DLC),
                                  reason='../shared/data/dlc-openfield is not here')
DLC_TABLE = osp.join(SHARED_DLC, 'labeled-data', 'm4s1', 'CollectedData_Pranav')
DLC_NAMES = ['snout', 'leftear', 'rightear', 'tailbase']


def all_points(out):
    """{image file name: (K, 3)} over the three splits."""
    points = {}
    for split in ('train', 'val', 'test'):
        coco = read_split(out, split)
        names = {image['id']: image['file_name'] for image in coco['images']}
        for ann in coco['annotations']:
            points[names[ann['image_id']]] = np.array(ann['keypoints']).reshape(-1, 3)
    return points


@needs_shared
def test_real_dlc_project_imports_every_frame_with_the_csv_points(tmp_path):
    out = str(tmp_path / 'mouse')
    summary = write_dataset(read_labels(SHARED_DLC), out, link=True)
    assert summary.keypoint_names == DLC_NAMES
    assert [DLC_NAMES[i] for pair in summary.flip_pairs for i in pair] == ['leftear', 'rightear']
    assert sum(s['frames'] for s in summary.splits.values()) == 116
    csv = pd.read_csv(DLC_TABLE + '.csv', header=[0, 1, 2], index_col=0)
    points = all_points(out)
    assert len(points) == 116
    for row, values in csv.iterrows():
        got = points[osp.join(SHARED_DLC, row)]
        want = values.to_numpy(dtype=float).reshape(4, 2)
        np.testing.assert_allclose(got[:, :2], want, atol=1e-6)
        assert (got[:, 2] == 2).all()
    meta = parse_pose_metainfo(dict(from_file=osp.join(out, 'metainfo.py')))
    assert meta['num_keypoints'] == 4 and meta['flip_indices'] == [0, 2, 1, 3]


@needs_shared
def test_real_dlc_h5_csv_and_sleap_io_agree():
    from mmpose_animal.fileio.labels.read_dlc import read_table, table_points
    _, from_h5 = table_points(read_table(DLC_TABLE + '.h5'), DLC_NAMES, 'h5')
    _, from_csv = table_points(read_table(DLC_TABLE + '.csv'), DLC_NAMES, 'csv')
    np.testing.assert_array_equal(from_h5, from_csv)
    labels = sleap_io.load_dlc(DLC_TABLE + '.csv')
    order = [labels.skeleton.node_names.index(n) for n in DLC_NAMES]  # sleap-io sorts names
    from_sleap = np.stack([lf.instances[0].numpy()[order] for lf in labels.labeled_frames])
    np.testing.assert_allclose(from_sleap, from_h5[:, 0], atol=1e-6)


def test_unlabelled_points_become_invisible_and_empty_frames_are_reported(tmp_path):
    src = write_dlc_project(str(tmp_path / 'proj'),
                            nan_rows={('v1', 0, 0), ('v2', 1, 0), ('v2', 1, 1), ('v2', 1, 2)})
    summary = write_dataset(read_labels(src), str(tmp_path / 'out'))
    points = all_points(str(tmp_path / 'out'))
    assert points['v1/img0000.png'][0].tolist() == [0, 0, 0]
    assert points['v1/img0000.png'][1].tolist() == [11, 22, 2]  # k=1, i=0, v=0
    assert 'v2/img0001.png' not in points
    assert any('1 frames with no labelled point left out: v2/img0001.png' in n
               for n in summary.notes)
    assert os.path.isfile(tmp_path / 'out' / 'images' / 'v3' / 'img0002.png')  # copied


def test_split_by_video_keeps_each_video_in_one_split(tmp_path):
    src = write_dlc_project(str(tmp_path / 'proj'), videos={f'v{i}': 3 for i in range(6)})
    write_dataset(read_labels(src), str(tmp_path / 'out'), split_by='video', seed=1)
    videos = {split: {img['file_name'].split('/')[0]
                      for img in read_split(str(tmp_path / 'out'), split)['images']}
              for split in ('train', 'val', 'test')}
    assert all(videos.values())
    assert not (videos['train'] & videos['val'] or videos['train'] & videos['test']
                or videos['val'] & videos['test'])


def test_split_is_deterministic_for_a_seed(tmp_path):
    src = write_dlc_project(str(tmp_path / 'proj'))
    for name in ('a', 'b'):
        write_dataset(read_labels(src), str(tmp_path / name), seed=3)
    first, second = (read_split(str(tmp_path / name), 'test') for name in ('a', 'b'))
    assert first['images'] == second['images'] and first['annotations'] == second['annotations']


def test_sleap_user_and_predicted_instances(tmp_path):
    paths = write_images(str(tmp_path / 'frames'), [f'{i}.png' for i in range(5)])
    skeleton = sleap_io.Skeleton(nodes=['head', 'earL', 'earR'], edges=[('head', 'earL')],
                                 symmetries=[('earL', 'earR')])
    video = sleap_io.Video.from_filename(paths)
    frames = []
    for i in range(5):
        user = sleap_io.Instance.from_numpy(
            np.array([[10.0 + i, 10], [20, 12], [np.nan, np.nan]]), skeleton=skeleton)
        predicted = sleap_io.PredictedInstance.from_numpy(
            np.array([[30.0, 30], [31, 31], [32, 32]]), skeleton=skeleton,
            point_scores=np.ones(3), score=1.0)
        frames.append(sleap_io.LabeledFrame(video=video, frame_idx=i,
                                            instances=[user, predicted] if i else [predicted]))
    path = str(tmp_path / 'labels.slp')
    sleap_io.save_slp(sleap_io.Labels(labeled_frames=frames, videos=[video],
                                      skeletons=[skeleton]), path)

    label_set = read_labels(path)
    assert label_set.keypoint_names == ['head', 'earL', 'earR']
    assert len(label_set.frames) == 4  # frame 0 holds only a prediction
    assert label_set.frames[0].instances.shape == (1, 3, 2)
    assert np.isnan(label_set.frames[0].instances[0, 2]).all()
    assert any('5 predicted instances left out' in n for n in label_set.notes)
    summary = write_dataset(label_set, str(tmp_path / 'out'), bbox='keypoints',
                            ratios=(0.5, 0.25, 0.25))
    assert summary.flip_pairs == [(1, 2)] and summary.flip_source == 'source'
    with_predicted = read_labels(path, include_predicted=True)
    assert len(with_predicted.frames) == 5
    assert sum(len(f.instances) for f in with_predicted.frames) == 9


def test_sleap_file_without_user_instances_is_refused(tmp_path):
    skeleton = sleap_io.Skeleton(nodes=['a', 'b'])
    video = sleap_io.Video.from_filename(write_images(str(tmp_path / 'f'), ['0.png']))
    frame = sleap_io.LabeledFrame(video=video, frame_idx=0, instances=[
        sleap_io.PredictedInstance.from_numpy(np.ones((2, 2)), skeleton=skeleton,
                                              point_scores=np.ones(2), score=1.0)])
    path = str(tmp_path / 'pred.slp')
    sleap_io.save_slp(sleap_io.Labels(labeled_frames=[frame], videos=[video],
                                      skeletons=[skeleton]), path)
    with pytest.raises(ValueError, match=r'no user-labelled instances \(1 predicted\).*'
                                         r'--include-predicted'):
        read_labels(path)


def make_dpk(path, annotated):
    with h5py.File(path, 'w') as file:
        file['images'] = np.zeros((annotated.shape[0], 32, 40, 1), np.uint8)
        file['annotations'] = np.full(annotated.shape + (2,), 5.0)
        file['annotated'] = annotated
        file['skeleton'] = np.array([[-1, -1], [0, 2], [0, 1]])
    return str(path)


def test_deepposekit_all_unannotated_is_refused_unless_asked(tmp_path):
    path = make_dpk(tmp_path / 'dpk.h5', np.zeros((6, 3), bool))
    with pytest.raises(ValueError, match=r'dpk.h5: every entry of its "annotated" array .*'
                                         r'--ignore-annotated-flags'):
        read_labels(path)
    label_set = read_labels(path, ignore_annotated_flags=True)
    assert label_set.flip_pairs == [(1, 2)] and label_set.links == [(0, 1), (0, 2)]
    summary = write_dataset(label_set, str(tmp_path / 'out'), ratios=(0.5, 0.25, 0.25))
    assert summary.splits['train']['labelled'] == [3, 3, 3]


def test_deepposekit_flags_mark_unlabelled_points(tmp_path):
    annotated = np.ones((4, 3), bool)
    annotated[0, 1] = False
    label_set = read_labels(make_dpk(tmp_path / 'dpk.h5', annotated))
    assert np.isnan(label_set.frames[0].instances[0, 1]).all()
    assert np.isfinite(label_set.frames[1].instances).all()


def test_coco_json_is_resplit_with_generated_metainfo(tmp_path):
    path = write_coco(str(tmp_path))
    summary = write_dataset(read_labels(path, image_root=str(tmp_path / 'imgs')),
                            str(tmp_path / 'out'), ratios=(0.5, 0.25, 0.25))
    assert summary.keypoint_names == ['a', 'b']
    points = all_points(str(tmp_path / 'out'))
    assert points['0.png'].tolist() == [[5, 6, 2], [0, 0, 0]]
    assert len(points) == 6


@pytest.mark.parametrize('names, pairs', [
    (['snout', 'leftear', 'rightear'], [(1, 2)]),
    (['left_ear', 'right_ear', 'Lpaw'], [(0, 1)]),
    (['earL', 'earR', 'forelegL1', 'forelegR1'], [(0, 1), (2, 3)]),
    (['l_wing', 'r_wing', 'LeftHand', 'RightHand'], [(0, 1), (2, 3)]),
    (['head', 'tail'], []),
])
def test_flip_pairs_from_names(names, pairs):
    assert infer_flip_pairs(names) == pairs


def test_flip_pairs_override_and_disagreement():
    names = ['a', 'b', 'c']
    assert parse_flip_pairs(['a:c'], names) == [(0, 2)]
    with pytest.raises(ValueError, match=r"left/right pairs disagree: 'b' is in"):
        parse_flip_pairs(['a:b', 'b:c'], names)
    with pytest.raises(ValueError, match=r"'d' is not a keypoint"):
        parse_flip_pairs(['a:d'], names)


def test_multi_animal_dlc_project_gives_one_instance_per_individual(tmp_path):
    import yaml
    root = tmp_path / 'ma'
    folder = root / 'labeled-data' / 'cage1'
    write_images(str(folder), ['img0.png', 'img1.png'], size=(60, 80))
    with open(root / 'config.yaml', 'w') as file:
        yaml.safe_dump(dict(multianimalproject=True, individuals=['mus1', 'mus2'],
                            multianimalbodyparts=['nose', 'tail'], uniquebodyparts=[],
                            bodyparts='MULTI!', skeleton=[['nose', 'tail']]), file)
    header = [['scorer', '', ''] + ['me'] * 8,
              ['individuals', '', ''] + ['mus1'] * 4 + ['mus2'] * 4,
              ['bodyparts', '', ''] + ['nose', 'nose', 'tail', 'tail'] * 2,
              ['coords', '', ''] + ['x', 'y'] * 4]
    rows = [['labeled-data', 'cage1', 'img0.png', '10', '11', '20', '21', '50', '51', '', ''],
            ['labeled-data', 'cage1', 'img1.png', '12', '13', '22', '23', '', '', '', '']]
    (folder / 'CollectedData_me.csv').write_text(
        '\n'.join(','.join(r) for r in header + rows) + '\n')

    label_set = read_labels(str(root))
    assert label_set.keypoint_names == ['nose', 'tail'] and label_set.links == [(0, 1)]
    first, second = label_set.frames
    np.testing.assert_array_equal(first.instances[0], [[10, 11], [20, 21]])
    np.testing.assert_array_equal(first.instances[1, 0], [50, 51])
    assert np.isnan(first.instances[1, 1]).all() and np.isnan(second.instances[1]).all()
    summary = write_dataset(label_set, str(tmp_path / 'out'), ratios=(1.0, 0.0, 0.0))
    assert summary.splits['train']['instances'] == 3  # mus2 of img1 has no labelled point
    coco = read_split(str(tmp_path / 'out'), 'train')
    boxes = [a['bbox'] for a in coco['annotations']]
    assert all(b != [0.0, 0.0, 80.0, 60.0] for b in boxes)  # keypoint boxes, several animals


def test_sleap_package_with_embedded_frames_imports_without_the_video(tmp_path):
    paths = write_images(str(tmp_path / 'frames'), [f'{i}.png' for i in range(4)])
    skeleton = sleap_io.Skeleton(nodes=['a', 'b'])
    video = sleap_io.Video.from_filename(paths)
    frames = [sleap_io.LabeledFrame(video=video, frame_idx=i, instances=[
        sleap_io.Instance.from_numpy(np.array([[5.0 + i, 6], [7, 8]]), skeleton=skeleton)])
        for i in range(4)]
    package = str(tmp_path / 'labels.pkg.slp')
    sleap_io.save_slp(sleap_io.Labels(labeled_frames=frames, videos=[video],
                                      skeletons=[skeleton]), package, embed='user')
    for path in paths:
        os.remove(path)  # the frames now live only inside the package
    summary = write_dataset(read_labels(package), str(tmp_path / 'out'),
                            ratios=(0.5, 0.25, 0.25))
    assert sum(s['frames'] for s in summary.splits.values()) == 4
    points = all_points(str(tmp_path / 'out'))
    for name, keypoints in points.items():
        assert osp.isfile(tmp_path / 'out' / 'images' / name)
        frame = int(osp.splitext(osp.basename(name))[0])
        np.testing.assert_allclose(keypoints[:, :2], [[5.0 + frame, 6], [7, 8]])


@needs_shared
def test_sleap_labels_over_the_real_video_read_its_gray_frames(tmp_path):
    import cv2
    video_path = osp.join(SHARED_DLC, 'videos', 'm3v1mp4.mp4')
    skeleton = sleap_io.Skeleton(nodes=list(DLC_NAMES))  # sleap-io turns the list into Nodes
    video = sleap_io.Video.from_filename(video_path)
    frame_indices = [3, 50, 400, 1200]
    frames = [sleap_io.LabeledFrame(video=video, frame_idx=i, instances=[
        sleap_io.Instance.from_numpy(np.array([[100.0 + i / 10, 200], [120, 190], [125, 215],
                                               [300, 240]]), skeleton=skeleton)])
        for i in frame_indices]
    path = str(tmp_path / 'labels.slp')  # frames stay in the video
    sleap_io.save_slp(sleap_io.Labels(labeled_frames=frames, videos=[video],
                                      skeletons=[skeleton]), path)

    summary = write_dataset(read_labels(path), str(tmp_path / 'out'), ratios=(0.5, 0.25, 0.25))
    assert sum(s['frames'] for s in summary.splits.values()) == 4
    capture = cv2.VideoCapture(video_path)
    for name, keypoints in all_points(str(tmp_path / 'out')).items():
        index = int(osp.splitext(osp.basename(name))[0])
        assert name.startswith('m3v1mp4/') and index in frame_indices
        assert keypoints[0, 0] == pytest.approx(100.0 + index / 10)
        written = cv2.imread(str(tmp_path / 'out' / 'images' / name), cv2.IMREAD_UNCHANGED)
        assert written.shape == (480, 640)  # the video's single channel, kept
        capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, expected = capture.read()
        assert ok and np.array_equal(written, expected[..., 0])  # the labelled frame itself


def test_a_project_of_several_frame_sizes_and_gray_frames_goes_through_the_pipeline(
        tmp_path):
    import cv2
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmpose.registry import DATASETS
    from mmpose_animal.data_tools.config_writer import make_config
    root = write_dlc_project(str(tmp_path / 'dlc'), videos={'v1': 4, 'v2': 4})
    for i, size in enumerate([(120, 90), (33, 47)]):  # v2: other sizes, one channel
        path = osp.join(root, 'labeled-data', 'v2', f'img000{i}.png')
        cv2.imwrite(path, np.full(size, 90, np.uint8))
    out = str(tmp_path / 'out')
    write_dataset(read_labels(root), out, ratios=(0.5, 0.25, 0.25), seed=1)
    sizes = {(i['width'], i['height']) for s in ('train', 'val', 'test')
             for i in read_split(out, s)['images']}
    assert sizes == {(64, 48), (90, 120), (47, 33)}

    config = str(tmp_path / 'animal.py')
    with open(config, 'w') as file:
        file.write(make_config(out, config))
    cfg = Config.fromfile(config)
    init_default_scope('mmpose')
    for loader in (cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader):
        dataset = DATASETS.build(loader.dataset)
        for index in range(len(dataset)):
            sample = dataset[index]
            inputs = sample['inputs']
            assert inputs.shape == (3, *cfg.codec.input_size[::-1])  # every frame, 3 channels
            info = sample['data_samples'].metainfo
            assert {(info['ori_shape'][1], info['ori_shape'][0])} <= sizes


@needs_shared
def test_body_part_labelled_in_no_frame_is_named_in_a_warning_and_the_config(tmp_path):
    """A real DLC project whose config.yaml lists a body part that no frame labels: the
    import warns naming it, records it, and make_config's output says it is never learned."""
    import json
    import yaml
    from mmpose_animal.data_tools.config_writer import make_config
    project = tmp_path / 'project'
    project.mkdir()
    os.symlink(osp.join(SHARED_DLC, 'labeled-data'), project / 'labeled-data')
    with open(osp.join(SHARED_DLC, 'config.yaml')) as file:
        config = yaml.safe_load(file)
    config['bodyparts'] = list(config['bodyparts']) + ['tailtip']
    with open(project / 'config.yaml', 'w') as file:
        yaml.safe_dump(config, file)
    out = str(tmp_path / 'mouse')
    with pytest.warns(UserWarning, match=r'keypoint\(s\) tailtip are labelled in no frame'):
        summary = write_dataset(read_labels(str(project)), out, link=True)
    assert summary.unlabelled == ['tailtip'] and summary.keypoint_names[-1] == 'tailtip'
    with open(osp.join(out, 'import_summary.json')) as file:
        assert json.load(file)['unlabelled_keypoints'] == ['tailtip']
    assert ('# WARNING: keypoint(s) tailtip are labelled in no training frame and will never '
            'be learned.') in make_config(out)
    assert 'WARNING' not in make_config(write_dataset(read_labels(SHARED_DLC),
                                                      str(tmp_path / 'plain'), link=True).out_dir)
