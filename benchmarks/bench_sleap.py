"""Real animals against SLEAP: our default vs SLEAP-NN's own recommended model, same frames.

The real DeepLabCut Openfield project (../shared/data/dlc-openfield, 640x480 mouse frames, 4
keypoints) is imported exactly as ``bench_real.py`` does (seed 0: 93 train / 12 val / 11 test
frames) and each split is also written as a SLEAP labels file. SLEAP-NN then trains the
single-instance model its config generator recommends for the training file (``sleap_nn.
config_generator.generate_config``, top view; nothing changed but the validation file, the
output folder and the CPU device) on the same cores for the same wall-clock as our default's
row in an earlier ``bench_real.py`` results file (lightning's ``max_time``: SLEAP's
200-epoch schedule is cut there, as a lab with that budget would). Its best checkpoint (by
validation loss, as SLEAP keeps it) predicts the 11 test frames, scored like ours: distance
to the label in original pixels over the labelled points.

SLEAP-NN needs its own environment (its dependencies are not ours); it sees this project's
packages through a ``.pth`` file:

    benchmarks/peers/install.sh /tmp/peers   # once: a venv with sleap-nn 0.3.5
    /tmp/peers/bin/python benchmarks/bench_sleap.py --ours benchmarks/results/real_openfield.json

Writes benchmarks/results/real_openfield_sleap.{json,md}.
"""
import argparse
import json
import os
import os.path as osp
import time
from functools import partial
from importlib.metadata import version

import lightning
import numpy as np
import sleap_io as sio
import torch
from sleap_nn.config_generator import generate_config
from sleap_nn.inference.run import predict
from sleap_nn.training import model_trainer

from common import (DEFAULT_SOURCE, ROOT, machine, markdown_table, prepare_dataset, read_rows,
                    relative, run_and_data, write_results)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ours', required=True, metavar='JSON',
                        help="bench_real.py results: our default's row (its first) and its "
                        'training seconds, the budget')
    parser.add_argument('--source', default=DEFAULT_SOURCE, help='DeepLabCut project')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_sleap'))
    parser.add_argument('--seconds', type=float,
                        help="SLEAP's training budget (default: our row's training seconds)")
    parser.add_argument('--scale', type=float,
                        help="input scale instead of the recommended one (the one change)")
    parser.add_argument('--threads', type=int, help='torch threads (default: torch\'s)')
    parser.add_argument('--out', default='real_openfield_sleap',
                        help='results name (benchmarks/results/OUT.*)')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    return args


def coco_to_slp(coco_file: str, out_file: str, names: list, flip_pairs: list) -> sio.Labels:
    """One COCO split as a SLEAP labels file over its image files (v=0: NaN)."""
    with open(coco_file) as file:
        coco = json.load(file)
    images = {image['id']: image['file_name'] for image in coco['images']}
    skeleton = sio.Skeleton(nodes=names, symmetries=[(names[a], names[b])
                                                     for a, b in flip_pairs])
    video = sio.Video.from_filename([images[a['image_id']] for a in coco['annotations']])
    frames = []
    for index, annotation in enumerate(coco['annotations']):
        points = np.asarray(annotation['keypoints'], dtype=np.float64).reshape(-1, 3)
        points = np.where(points[:, 2:] > 0, points[:, :2], np.nan)
        frames.append(sio.LabeledFrame(video=video, frame_idx=index, instances=[
            sio.Instance.from_numpy(points, skeleton=skeleton)]))
    labels = sio.Labels(labeled_frames=frames, videos=[video], skeletons=[skeleton])
    sio.save_slp(labels, out_file)
    return labels


def distances(truth: sio.Labels, predicted: sio.Labels) -> np.ndarray:
    """Per labelled point: distance of SLEAP's prediction (NaN where it found no peak)."""
    by_frame = {lf.frame_idx: lf for lf in predicted.labeled_frames}
    found = []
    for frame in truth.labeled_frames:
        label = frame.instances[0].numpy()
        guess = by_frame.get(frame.frame_idx)
        points = (guess.instances[0].numpy()[:, :2] if guess and guess.instances
                  else np.full_like(label, np.nan))
        labelled = ~np.isnan(label).any(axis=1)
        found.append(np.linalg.norm(points[labelled] - label[labelled], axis=1))
    return np.concatenate(found)


def row(name: str, dist: np.ndarray, seconds: float, extra: dict) -> dict:
    """A result row: EPE, RMSE, median, p95, max over the points SLEAP placed; misses."""
    placed = dist[~np.isnan(dist)]
    if not len(placed):
        raise RuntimeError(f'{name}: no test point was predicted')
    return dict(model=name, train_seconds=seconds, points=len(dist),
                missed=int(np.isnan(dist).sum()), EPE=float(placed.mean()),
                rmse=float(np.sqrt((placed ** 2).mean())), median=float(np.median(placed)),
                p95=float(np.percentile(placed, 95)), max=float(placed.max()), **extra)


def train_sleap(config, seconds: float) -> float:
    """Train SLEAP-NN's model for at most ``seconds`` (lightning's ``max_time``)."""
    budget = time.strftime('00:%H:%M:%S', time.gmtime(seconds))
    original = model_trainer.L.Trainer
    model_trainer.L.Trainer = partial(lightning.Trainer, max_time=budget)
    try:
        trainer = model_trainer.ModelTrainer.get_model_trainer_from_config(config)
        start = time.perf_counter()
        trainer.train()
        return time.perf_counter() - start
    finally:
        model_trainer.L.Trainer = original


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    ours = read_rows(args.ours)[0]
    seconds = args.seconds or ours['train_seconds']
    data_root, sizes = prepare_dataset(args.source, args.work_dir)
    with open(osp.join(data_root, 'import_summary.json')) as file:
        summary = json.load(file)
    names, pairs = summary['keypoint_names'], summary['flip_pairs']
    labels = {split: coco_to_slp(osp.join(data_root, 'annotations', f'{split}.json'),
                                 osp.join(args.work_dir, f'{split}.slp'), names, pairs)
              for split in ('train', 'val', 'test')}

    config = generate_config(osp.join(args.work_dir, 'train.slp'), view='top')
    config.data_config.val_labels_path = [osp.join(args.work_dir, 'val.slp')]
    config.trainer_config.update(ckpt_dir=args.work_dir, run_name='sleap',
                                 trainer_accelerator='cpu', trainer_devices=1,
                                 enable_progress_bar=False,
                                 visualize_preds_during_training=False)
    if args.scale:
        config.data_config.preprocessing.scale = args.scale
    trained = train_sleap(config, seconds)
    model_dir = osp.join(args.work_dir, 'sleap')
    steps = torch.load(osp.join(model_dir, 'last.ckpt'), weights_only=True)['global_step']
    start = time.perf_counter()
    # every point gets its best peak, as mmpose's argmax decoding does
    predicted = predict(labels['test'], model_paths=[model_dir], device='cpu',
                        peak_threshold=0.0)
    infer_seconds = time.perf_counter() - start
    backbone = config.model_config.backbone_config.unet
    changed = f', input scale {args.scale}' if args.scale else ''
    sleap = row(f'SLEAP-NN (its recommended single-instance UNet{changed})', distances(
        labels['test'], predicted), trained, dict(
        input=f'{config.data_config.preprocessing.max_width}x'
              f'{config.data_config.preprocessing.max_height} x'
              f'{config.data_config.preprocessing.scale}',
        unet=dict(backbone), sigma=config.model_config.head_configs.single_instance.confmaps.
        sigma, batch_size=config.trainer_config.train_data_loader.batch_size,
        lr=config.trainer_config.optimizer.lr, infer_seconds=infer_seconds, steps=steps))
    mine = dict(model=f'ours: {ours["model"].split(": ", 1)[-1]}, from {osp.basename(args.ours)}',
                train_seconds=ours['train_seconds'], points=sleap['points'], missed=0,
                EPE=ours['EPE'], rmse=ours['dist/rmse'], median=ours['dist/median'],
                p95=ours['dist/p95'], max=ours['dist/max'])
    info = machine()
    headers = ['model', 'train s', 'points', 'missed', 'EPE (px)', 'RMSE (px)', 'median (px)',
               'p95 (px)', 'max (px)']
    table = markdown_table(headers, [[r['model'], r['train_seconds'], r['points'], r['missed'],
                                      r['EPE'], r['rmse'], r['median'], r['p95'], r['max']]
                                     for r in (mine, sleap)])
    protocol = (run_and_data(info, args.source, sizes) + f'). SLEAP-NN: the config '
                f'`generate_config(train.slp, view="top")` recommends (input {sleap["input"]}, '
                f'UNet {sleap["unet"]}, sigma {sleap["sigma"]}, batch {sleap["batch_size"]}, '
                f'Adam {sleap["lr"]}{changed}), trained for at most {seconds:.0f} s (ours '
                f'trained {ours["train_seconds"]:.0f} s), best checkpoint by validation loss; '
                f'ours: the first row of {relative(args.ours)}, final weights, flip test. '
                f'Test split, '
                f'distances in original pixels over the labelled points; "missed": points '
                f'SLEAP gave no peak for (left out of its EPE).')
    ratio = ours['EPE'] / sleap['EPE']
    markdown = (f'# Real data against SLEAP (Openfield)\n\n{protocol}\n\n{table}\n\nEPE ratio '
                f'ours / SLEAP-NN, SLEAP given {seconds / ours["train_seconds"]:.1f}x our '
                f'training time: **{ratio:.2f}**; SLEAP made {steps} training steps of '
                f'{config.trainer_config.train_data_loader.batch_size} frames.\n')
    print('\n' + table + f'\n\nEPE ratio ours / SLEAP: {ratio:.2f}')
    write_results(args.out, dict(machine=info, protocol=protocol, splits=sizes,
                                 results=[mine, sleap], epe_ratio=ratio,
                                 sleap_nn=version('sleap-nn')), markdown)


if __name__ == '__main__':
    main()
