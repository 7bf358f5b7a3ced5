"""Several animals on a real video: who is where, and who is who.

The shared SLEAP file's two tracked flies (its predictions, as pseudo-labels: see
../shared/data/README.md) give 150 labelled frames from the video's first half (frames 0, 3,
..., 447); a model is trained on them as a user would (import_labels.py --include-predicted
--tracks 1 2 --frames 0:450:3, make_config.py, train), then the video's second half (frames
550-1099) is predicted, tracked and scored against the pseudo-labels there (MOTA, IDF1,
identity switches, keypoint error of matched animals; tools/track_metrics.py's measures),
at the video's 384x384 and upscaled to 1024x1024 (frames/s end to end, start-up included).

Approaches side by side:

- ``centres``: make_config's default, a MultiAnimalPoseEstimator (the whole frame marks the
  animals' centres, a crop around each gives its keypoints), identities by motion alone and
  with appearance (its identity classifier of the crops);
- ``detector``: an mmdet RTMDet-tiny trained from scratch on the labels' boxes with mmdet's
  own runner, and the top-down model of those boxes (make_config --crop off, with the
  centres model's input size and epochs), identities by motion.

    python benchmarks/bench_several_animals.py [--approaches centres detector] [--seeds 0 1]
        [--backends torch onnxruntime int8] [--side 1024] [--epochs-factor 2]

Writes benchmarks/results/several_animals_<side>.{json,md} (keeping the earlier rows of
the approaches not run this time).
"""
import argparse
import copy
import json
import os
import os.path as osp
import sys
import time

import cv2
import numpy as np
from mmengine.config import Config
from mmengine.runner import Runner
from torch import nn

from mmpose_animal.apis import (Detector, SequenceInput, VideoLoop, fuse_for_inference,
                                load_pose_model)
from mmpose_animal.apis.onnx_export import export_onnx, use_onnxruntime
from mmpose_animal.apis.onnx_quantize import calibration_inputs, quantize_int8
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.engine import stop_data_workers
from mmpose_animal.evaluation.functional import matched_pairs, track_metrics
from mmpose_animal.fileio import read_video
from mmpose_animal.fileio.labels import read_labels, write_dataset
from mmpose_animal.fileio.track_files import read_tracks
from mmpose_animal.postprocessing.identity_tracking import animal_size
from common import ROOT, machine, markdown_table, write_results
from drift_removed import without_drift

FOLDER = osp.join(osp.dirname(ROOT), 'shared', 'data', 'sleap-centered-pair')
SLP = osp.join(FOLDER, 'centered_pair_predictions.slp')
VIDEO = osp.join(FOLDER, 'centered_pair_low_quality.mp4')
TRAIN_FRAMES, TEST_FRAMES = '0:450:3', (550, 1100)
BACKENDS = {'torch': 'torch', 'onnxruntime': 'onnxruntime float', 'int8': 'onnxruntime int8'}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--approaches', nargs='+', default=['centres', 'detector'],
                        choices=['centres', 'detector'])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0],
                        help='training seeds of the centres model (run-to-run noise)')
    parser.add_argument('--backends', nargs='+', default=['torch'], choices=list(BACKENDS),
                        help='how the centres model runs: torch (BN folded), onnxruntime '
                        '(float), int8 (onnxruntime, calibrated on 64 training images)')
    parser.add_argument('--side', type=int, default=384,
                        help='frame side the model is trained and tested at: 384 (the video\'s) '
                        'or the video and its labels upscaled, e.g. 1024')
    parser.add_argument('--detector-epochs', type=int, default=60)
    parser.add_argument('--epochs-factor', type=float, default=1.0,
                        help='pose models train make_config\'s epochs times this (a schedule '
                        'probe: its rows are kept beside the default\'s)')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_several'))
    return parser.parse_args()


def scaled_labels(side: int):
    """The first half's 150 labelled frames, upscaled to ``side`` (frames and points)."""
    labels = read_labels(SLP, include_predicted=True, tracks=['1', '2'], frames=TRAIN_FRAMES)
    if side == 384:
        return labels
    scale = side / 384

    def loader(load):
        return lambda: cv2.resize(load(), (side, side), interpolation=cv2.INTER_LINEAR)
    for frame in labels.frames:
        frame.image = loader(frame.image)
        frame.instances = (frame.instances + 0.5) * scale - 0.5
    return labels


def clips(work: str, sides):
    """The second half of the video at each of ``sides`` (MP4s)."""
    paths = {}
    for side in sides:
        path = osp.join(work, f'second_half_{side}.mp4')
        paths[side] = path
        if osp.isfile(path):
            continue
        frames, _, fps = read_video(VIDEO)
        writer = None
        for index, frame in enumerate(frames):
            if index < TEST_FRAMES[0]:
                continue
            if index >= TEST_FRAMES[1]:
                break
            if side != frame.shape[0]:
                frame = cv2.resize(frame, (side, side), interpolation=cv2.INTER_LINEAR)
            if writer is None:
                writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps or 15.0,
                                         (side, side))
            writer.write(frame)
        writer.release()
    return paths


def train(cfg: Config, work_dir: str, seed: int) -> float:
    """Train ``cfg`` into ``work_dir`` (skipped when its last checkpoint is there); seconds."""
    last = osp.join(work_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')
    timing = osp.join(work_dir, 'train_seconds.json')
    if osp.isfile(last) and osp.isfile(timing):
        return json.load(open(timing))['seconds']
    cfg = copy.deepcopy(cfg)
    cfg.work_dir, cfg.randomness = work_dir, dict(seed=seed)
    start = time.perf_counter()
    runner = Runner.from_cfg(cfg)
    runner.train()
    stop_data_workers(runner)
    seconds = time.perf_counter() - start
    json.dump(dict(seconds=seconds), open(timing, 'w'))
    return seconds


def scored(loop: VideoLoop, video: str, scale: float, labels: np.ndarray) -> dict:
    """Predict, track and score one clip; frames/s over the whole loop (start-up: the
    first frame's model warm-up, decoding) and the identity metrics."""
    start = time.perf_counter()
    analysis = loop.analyse(SequenceInput(video, True))
    seconds = time.perf_counter() - start
    points = (analysis.raw.keypoints + 0.5) / scale - 0.5
    radius = 0.2 * animal_size(labels)
    result = track_metrics(labels, points.astype(np.float64), radius=radius)
    error, offsets = drift_removed_error(labels, points, radius)
    result.update(frames_per_s=analysis.raw.num_frames / seconds, seconds=seconds,
                  found_per_frame=float(np.isfinite(points).any((-1, -2)).sum(1).mean()),
                  keypoint_error_median_drift_removed=error,
                  label_offsets=[[round(float(v), 2) for v in o] for o in offsets])
    return result


def drift_removed_error(labels: np.ndarray, points: np.ndarray, radius: float,
                        window: int = 100):
    """The median keypoint error once the pseudo-labels' drift is taken out, and the drift.

    Against the frames, SLEAP's points drift over the video: the mean offset of a predicted
    animal from its label is ~0.1 px in x over the first half and grows to ~5 px by the end,
    the same for every part of both flies (benchmarks/README.md). Each ``window`` of frames'
    mean offset (x, y) between the animals ``track_metrics`` matches (its ``radius``) is
    subtracted from those pairs' differences.

    Returns:
        Tuple[float, list]: the median error (pixels) and each window's offset (x, y).
    """
    pairs = np.array(matched_pairs(labels, points, radius), int).reshape(-1, 3)
    t, g, p = pairs.T
    differences = points[t, p] - labels[t, g]  # (pairs, K, 2)
    frames = np.repeat(t, differences.shape[1])
    differences = differences.reshape(-1, 2)
    finite = np.isfinite(differences).all(1)
    errors, offsets = without_drift(frames[finite], differences[finite], window)
    return float(np.median(errors)), list(offsets.values())


def detector_config(data_root: str, work_dir: str, epochs: int, side: int) -> Config:
    """RTMDet-tiny (mmdet's config) from scratch on the labels' boxes, one class, at
    ``side``."""
    path = osp.join(work_dir, 'detector.py')
    with open(path, 'w') as file:
        file.write(DETECTOR_TEMPLATE.format(data_root=data_root, epochs=epochs, side=side))
    return Config.fromfile(path)


DETECTOR_TEMPLATE = '''
_base_ = ['mmdet::rtmdet/rtmdet_tiny_8xb32-300e_coco.py']
default_scope = 'mmdet'
data_root = {data_root!r}
metainfo = dict(classes=('data',))
model = dict(backbone=dict(init_cfg=None), bbox_head=dict(num_classes=1))
train_pipeline = [
    dict(type='LoadImageFromFile'), dict(type='LoadAnnotations', with_bbox=True),
    dict(type='RandomResize', scale=({side}, {side}), ratio_range=(0.75, 1.25), keep_ratio=True),
    dict(type='RandomCrop', crop_size=({side}, {side})), dict(type='YOLOXHSVRandomAug'),
    dict(type='RandomFlip', prob=0.5), dict(type='Pad', size=({side}, {side}),
                                            pad_val=dict(img=(114, 114, 114))),
    dict(type='PackDetInputs')]
test_pipeline = [
    dict(type='LoadImageFromFile'), dict(type='Resize', scale=({side}, {side}), keep_ratio=True),
    dict(type='Pad', size=({side}, {side}), pad_val=dict(img=(114, 114, 114))),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs', meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                                          'scale_factor'))]
train_dataloader = dict(batch_size=8, num_workers=2, batch_sampler=None, dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/train.json',
    data_prefix=dict(img='images/'), pipeline=train_pipeline))
val_dataloader = dict(batch_size=4, num_workers=1, dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file='annotations/val.json',
    data_prefix=dict(img='images/'), pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + '/annotations/val.json')
test_evaluator = val_evaluator
max_epochs = {epochs}
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs, dynamic_intervals=[])
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=100),
    dict(type='CosineAnnealingLR', eta_min=2e-5, begin=0, end=max_epochs, T_max=max_epochs,
         by_epoch=True, convert_to_iter_based=True)]
optim_wrapper = dict(optimizer=dict(lr=2e-3))
custom_hooks = []
default_hooks = dict(checkpoint=dict(interval=max_epochs, max_keep_ckpts=1))
'''


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    info = machine()
    data_root = osp.join(args.work_dir, 'data' if args.side == 384 else f'data_{args.side}')
    if not osp.isdir(data_root):
        write_dataset(scaled_labels(args.side), data_root, seed=0)
    videos = clips(args.work_dir, [args.side])
    truth = read_tracks(SLP)
    labels = truth.points[TEST_FRAMES[0]:TEST_FRAMES[1],
                          [truth.track_names.index('1'), truth.track_names.index('2')]]
    # the centres model as make_config writes it; the pose models' epochs: its x the factor
    centres_default = Config.fromstring(make_config(data_root), '.py')
    epochs = max(1, round(centres_default.train_cfg.max_epochs * args.epochs_factor))
    rows = earlier_rows(args, epochs)
    probe = '' if args.epochs_factor == 1 else f'_x{args.epochs_factor:g}'
    if 'centres' in args.approaches:
        config = osp.join(args.work_dir, f'centres_{args.side}{probe}.py')
        with open(config, 'w') as file:
            file.write(make_config(data_root, config, max_epochs=epochs if probe else None))
        cfg = Config.fromfile(config)
        for seed in args.seeds:
            work = osp.join(args.work_dir, f'centres_{args.side}{probe}_seed{seed}')
            seconds = train(cfg, work, seed)
            checkpoint = osp.join(work, f'epoch_{cfg.train_cfg.max_epochs}.pth')
            for backend in args.backends:
                model = backend_model(config, checkpoint, backend, work)
                for appearance in (False, True):
                    loop = VideoLoop(model, appearance=appearance)
                    for side, video in videos.items():
                        row = dict(approach='centres (one network, no detector)', seed=seed,
                                   backend=BACKENDS[backend],
                                   identity='appearance + motion' if appearance else 'motion',
                                   resolution=f'{side}x{side}', epochs=epochs,
                                   epochs_factor=args.epochs_factor, train_seconds=seconds,
                                   **scored(loop, video, side / 384, labels))
                        rows.append(row)
                        print(row, flush=True)
                        report(rows, info, args.side)
    if 'detector' in args.approaches:
        detector_work = osp.join(args.work_dir, f'detector_{args.side}')
        os.makedirs(detector_work, exist_ok=True)
        det_cfg = detector_config(data_root, detector_work, args.detector_epochs, args.side)
        det_seconds = train(det_cfg, detector_work, 0)
        config = osp.join(args.work_dir, f'boxes_{args.side}{probe}.py')
        # like with like: the centres model's crop input size and epochs
        with open(config, 'w') as file:
            file.write(make_config(data_root, config, crop='off',
                                   long_side=max(centres_default.codec.input_size),
                                   max_epochs=epochs))
        cfg = Config.fromfile(config)
        work = osp.join(args.work_dir, f'boxes_{args.side}{probe}_seed0')
        pose_seconds = train(cfg, work, 0)
        model = fuse_for_inference(load_pose_model(
            config, osp.join(work, f'epoch_{cfg.train_cfg.max_epochs}.pth')))
        detector = Detector(det_cfg.filename, osp.join(detector_work,
                                                       f'epoch_{args.detector_epochs}.pth'),
                            score_thr=0.3)
        loop = VideoLoop(model, detector=detector)
        for side, video in videos.items():
            row = dict(approach='detector (RTMDet-tiny) + top-down', seed=0, backend='torch',
                       identity='motion', resolution=f'{side}x{side}', epochs=epochs,
                       epochs_factor=args.epochs_factor,
                       train_seconds=det_seconds + pose_seconds,
                       **scored(loop, video, side / 384, labels))
            rows.append(row)
            print(row, flush=True)
            report(rows, info, args.side)


def backend_model(config: str, checkpoint: str, backend: str, work: str) -> nn.Module:
    """The trained model, run by ``backend`` (its ONNX files are written into ``work``)."""
    model = load_pose_model(config, checkpoint)
    if backend == 'torch':
        return fuse_for_inference(model)
    onnx_file = export_onnx(model, osp.join(work, 'model.onnx'), model.head.decoder.input_size,
                            dynamic_batch=True)
    if backend == 'int8':
        onnx_file = quantize_int8(onnx_file, osp.join(work, 'model_int8.onnx'),
                                  calibration_inputs(model, model.cfg, 64))
    return use_onnxruntime(copy.deepcopy(model), onnx_file)


def earlier_rows(args, epochs: int) -> list:
    """This side's earlier rows but those of the approaches, seeds, backends and epochs run
    now (each can run on its own and the table holds them all, older defaults' too)."""
    path = osp.join(ROOT, 'benchmarks', 'results', f'several_animals_{args.side}.json')
    if not osp.isfile(path):
        return []
    with open(path) as file:
        rows = json.load(file)['rows']
    return [row for row in rows if not (row['approach'].startswith(tuple(args.approaches))
                                        and row['seed'] in args.seeds
                                        and row.get('backend', 'torch') in
                                        [BACKENDS[b] for b in args.backends]
                                        and row['epochs'] == epochs)]


def offsets_text(row: dict) -> str:
    offsets = row.get('label_offsets')
    return f'{offsets[0][0]:+.1f} / {offsets[-1][0]:+.1f}' if offsets else ''


def report(rows: list, info: dict, side: int) -> None:
    headers = ['approach', 'seed', 'backend', 'identity', 'frames', 'epochs', 'train s',
               'IDF1', 'MOTA', 'ID sw.', 'FP', 'FN', 'median kp error (px)', 'drift removed',
               'label offset x, first / last 100 frames', 'frames/s']
    table = markdown_table(headers, [[r['approach'], r['seed'], r.get('backend', 'torch'),
                                       r['identity'], r['resolution'],
                                       r['epochs'], r['train_seconds'],
                                       r['IDF1'], r['MOTA'], r['IDSW'], r['FP'], r['FN'],
                                       r['keypoint_error_median'],
                                       r.get('keypoint_error_median_drift_removed', ''),
                                       offsets_text(r), r['frames_per_s']] for r in rows])
    command = ' '.join(['python benchmarks/bench_several_animals.py', *sys.argv[1:]])
    markdown = (f'# Several animals on a real video (two flies)\n\n`{command}` on {info["cpu"]} '
                f'({info["cores"]} cores, torch {info["torch"]}). '
                f'{__doc__.split(chr(10) + chr(10))[1]} The keypoint error is in the video\'s '
                f'384x384 pixels (x 2.67 for 1024x1024 pixels); "drift removed": the same '
                f'once the pseudo-labels\' drift against the frames (the mean offset of each '
                f'100 frames, the x part of the first and last given) is taken out.'
                f'\n\n{table}\n')
    print('\n' + table)
    write_results(f'several_animals_{side}', dict(machine=info, command=command, rows=rows),
                  markdown)


if __name__ == '__main__':
    main()
