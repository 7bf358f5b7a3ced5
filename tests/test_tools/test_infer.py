import json
import os
import os.path as osp
import shutil

import cv2

from .conftest import run_tool


def test_images_folder_and_video_give_records_and_overlays(trained_run, fly17_root, tmp_path):
    config, work_dir = trained_run
    images = sorted(os.listdir(osp.join(fly17_root, 'images')))[:3]
    folder = tmp_path / 'frames'
    folder.mkdir()
    for name in images[1:]:
        shutil.copy(osp.join(fly17_root, 'images', name), folder / name)
    video = str(tmp_path / 'clip.mp4')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'mp4v'), 10, (192, 192))
    for name in images:
        writer.write(cv2.imread(osp.join(fly17_root, 'images', name)))
    writer.release()

    out = tmp_path / 'out'
    run_tool('tools/infer.py', config, osp.join(work_dir, 'epoch_2.pth'),
             osp.join(fly17_root, 'images', images[0]), str(folder), video, '--out-dir', str(out),
             '--format', 'jsonl', 'dlc')
    records = [json.loads(line) for stem in ('images', 'frames', 'clip')
               for line in open(out / f'{stem}.predictions.jsonl')]  # one file per sequence
    assert len(records) == 1 + 2 + 3
    assert [r['frame'] for r in records] == [None, None, None, 0, 1, 2]
    for record in records:
        (instance,) = record['instances']  # the whole image is the box
        assert instance['bbox'] == [0.0, 0.0, 192.0, 192.0]
        assert len(instance['keypoints']) == 17 and len(instance['keypoint_scores']) == 17
    overlays = sorted(os.listdir(out / 'overlays'))
    assert overlays == sorted([osp.splitext(n)[0] + '.png' for n in images] + ['clip.mp4'])
    capture = cv2.VideoCapture(str(out / 'overlays' / 'clip.mp4'))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 3
    for name in ('clip_mmpose-animal.h5', 'clip_mmpose-animal_filtered.h5', 'clip.quality.csv',
                 'clip.sequence.npz', 'clip.trajectories.png', 'clip.outliers.png',
                 'frames_mmpose-animal.csv', 'frames.quality.csv'):
        assert (out / name).is_file(), name


def test_bad_inputs_are_clear_errors(trained_run, fly17_root, tmp_path):
    config, work_dir = trained_run
    checkpoint = osp.join(work_dir, 'epoch_2.pth')
    result = run_tool('tools/infer.py', config, checkpoint, str(tmp_path / 'nope.png'),
                      check=False)
    assert result.returncode != 0
    assert 'input ' in result.stderr and 'does not exist' in result.stderr
    (tmp_path / 'notes.csv').write_text('x')
    result = run_tool('tools/infer.py', config, checkpoint, str(tmp_path / 'notes.csv'),
                      check=False)
    assert 'is not an image' in result.stderr
    (tmp_path / 'videos.txt').write_text('day1.mp4\n')  # a list naming a missing video
    result = run_tool('tools/infer.py', config, checkpoint, str(tmp_path / 'videos.txt'),
                      check=False)
    assert f'input {tmp_path / "day1.mp4"} does not exist' in result.stderr
    image = osp.join(fly17_root, 'images', sorted(os.listdir(osp.join(fly17_root, 'images')))[0])
    result = run_tool('tools/infer.py', config, str(tmp_path / 'none.pth'), image, check=False)
    assert result.returncode != 0
    assert f'checkpoint {tmp_path / "none.pth"} does not exist' in result.stderr
    result = run_tool('tools/infer.py', config, checkpoint, image, '--steps', 'Kalman',
                      check=False)
    assert "unknown sequence step 'Kalman'; choose from" in result.stderr
    result = run_tool('tools/infer.py', config, checkpoint, image, '--steps',
                      'MedianFilter:window=5', check=False)
    assert result.returncode == 1  # the input fails, named with its reason; others go on
    assert 'FAILED: ValueError: MedianFilter: window of 5 frames is longer than' in result.stdout
    assert '0 of 1 inputs analysed, 1 failed' in result.stdout


def test_detector_boxes_come_first(trained_run, fly17_root, tmp_path):
    """An mmdet detector (RTMDet-tiny, random weights: any boxes) proposes the instances."""
    import torch
    from mmdet.apis import init_detector

    det_config = tmp_path / 'det.py'
    det_config.write_text("_base_ = ['mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py']\n"
                          "model = dict(test_cfg=dict(score_thr=0.0, max_per_img=2))\n")
    detector = init_detector(str(det_config), checkpoint=None, device='cpu')
    det_checkpoint = tmp_path / 'det.pth'
    torch.save(dict(state_dict=detector.state_dict(), meta=dict()), det_checkpoint)

    config, work_dir = trained_run
    image = osp.join(fly17_root, 'images', sorted(os.listdir(osp.join(fly17_root, 'images')))[0])
    out = tmp_path / 'out'
    run_tool('tools/infer.py', config, osp.join(work_dir, 'epoch_2.pth'), image,
             '--det-config', str(det_config), '--det-checkpoint', str(det_checkpoint),
             '--det-score-thr', '0', '--out-dir', str(out))
    (record,) = [json.loads(line) for line in open(out / 'images.predictions.jsonl')]
    assert 1 <= len(record['instances']) <= 2
    for instance in record['instances']:
        x1, y1, x2, y2 = instance['bbox']
        assert 0 <= x1 <= x2 <= 192 and 0 <= y1 <= y2 <= 192
        assert len(instance['keypoints']) == 17


def test_a_slurm_array_analyses_every_video_once(trained_run, fly17_root, tmp_path):
    """tools/slurm_infer.sh run as a two-task array would run it (the tasks' environment),
    on three videos: each task takes its share, together every video exactly once, and
    the summary has all three."""
    config, work_dir = trained_run
    images = sorted(os.listdir(osp.join(fly17_root, 'images')))[:2]
    folder = tmp_path / 'videos'
    folder.mkdir()
    for name in ('a', 'b', 'c'):
        writer = cv2.VideoWriter(str(folder / f'{name}.mp4'), cv2.VideoWriter_fourcc(*'mp4v'),
                                 10, (192, 192))
        for image in images:
            writer.write(cv2.imread(osp.join(fly17_root, 'images', image)))
        writer.release()
    out = tmp_path / 'out'
    taken = []
    for task in (0, 1):
        result = run_tool('-c', 'import subprocess, sys; sys.exit(subprocess.call(['
                          f'"bash", "tools/slurm_infer.sh", {config!r}, '
                          f'{osp.join(work_dir, "epoch_2.pth")!r}, {str(folder)!r}, '
                          f'"--out-dir", {str(out)!r}, "--no-overlay", "--no-plots"]))',
                          SLURM_ARRAY_TASK_ID=str(task), SLURM_ARRAY_TASK_MIN='0',
                          SLURM_ARRAY_TASK_MAX='1')
        assert f'shard {task}/2' in result.stdout
        taken += [line.split(':')[0] for line in result.stdout.splitlines()
                  if ': done,' in line]
    assert sorted(osp.basename(v) for v in taken) == ['a.mp4', 'b.mp4', 'c.mp4']
    assert sorted(f for f in os.listdir(out) if f.endswith('.done.json')) == [
        'a.done.json', 'b.done.json', 'c.done.json']
    assert len(open(out / 'summary.csv').read().splitlines()) == 4
