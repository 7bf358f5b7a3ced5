"""Pose-tracking a video on this CPU: end-to-end frames/s, ours (torch, onnxruntime) against
mmpose's SimpleBaseline-R18 (torch), in one run.

End-to-end = decode (OpenCV) + the model's test pipeline (whole-frame box, TopdownAffine) +
network + heatmap decoding + one JSON record per frame written to a .jsonl file, as
``tools/infer.py`` does (``predict_batches``: decoding and preprocessing in a background thread,
batches through the network), after an untimed warm-up of two batches. Network-only = the
batched network forward in eval mode. Two
videos: the real DeepLabCut Openfield recording (640x480; the model is make_config's default for
the imported project, input 256x192, and the stock model on the same pipeline) and a synthetic
fly video (192x192 frames; configs/unet_fly17.py and configs/simplebaseline_res18_fly17.py).
Weights are untrained (speed does not depend on them). Torch models run with BN folded and
channels-last weights (tools/infer.py's default). Flip test is off unless a row says so.

    python benchmarks/bench_video.py [--frames 480] [--batch-size 8]

Writes benchmarks/results/video.{json,md}.
"""
import argparse
import copy
import itertools
import os
import os.path as osp
import sys
import tempfile
import time

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmpose.apis import init_model
from mmpose_animal.apis import fuse_for_inference, predict_batches, predict_keypoints
from mmpose_animal.apis.video_prediction import dataset_names, instances_of
from mmpose_animal.fileio import read_video
from mmpose_animal.fileio.prediction_files import write_jsonl
from mmpose_animal.structures import PoseSequence, stack_instances
from mmpose_animal.apis.onnx_export import export_onnx, use_onnxruntime
from mmpose_animal.data_tools import render_fly
from common import (DEFAULT_SOURCE, ROOT, machine, markdown_table, ours_config, prepare_dataset,
                    stock_config, throughput, write_results)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--frames', type=int, default=480, help='frames per measurement')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--source', default=DEFAULT_SOURCE, help='DeepLabCut project')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_video'))
    parser.add_argument('--videos', nargs='+', choices=('real', 'fly'), default=['real', 'fly'],
                        help='which videos, in this order')
    parser.add_argument('--out', default='video', help='results/<out>.{json,md}')
    return parser.parse_args()


def fly_video(path: str, frames: int) -> str:
    """A synthetic fly video (192x192, mp4v) of ``frames`` frames."""
    rng = np.random.default_rng(0)
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 30.0, (192, 192))
    for _ in range(frames):
        image, _ = render_fly(rng)
        writer.write(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path


def build(cfg: Config, flip_test: bool = False) -> torch.nn.Module:
    """The config's model, untrained, eval mode, with the config's dataset_meta, BN folded
    and channels-last (as tools/infer.py runs every torch model)."""
    model = init_model(cfg, device='cpu').eval()
    model.test_cfg['flip_test'] = flip_test
    return fuse_for_inference(model)


def end_to_end(model, video: str, frames: int, batch_size: int, out_file: str) -> float:
    """Frames/s from the first decoded frame to the predictions written as tools/infer.py
    writes them (batched, or one frame at a time through ``predict_keypoints`` with
    ``batch_size`` 0): the keypoint arrays of every frame, then their JSON lines."""
    reader = itertools.islice(read_video(video)[0], frames)
    results = (predict_batches(model, reader, batch_size) if batch_size else
               ((frame, predict_keypoints(model, frame)) for frame in reader))
    start = time.perf_counter()
    predicted = [instances_of(samples) for _, samples in results]
    names, links, pairs = dataset_names(model.dataset_meta)
    arrays = stack_instances(predicted, [(len(names), 2), (len(names),), (4,)])
    sequence = PoseSequence(video, True, *arrays, names, links, pairs)
    write_jsonl(sequence, out_file)
    return len(predicted) / (time.perf_counter() - start)


def network_only(model, input_size, batch_size: int, seconds: float = 6.0) -> float:
    """Images/s of the batched network forward (the best of 3 windows)."""
    images = torch.rand(batch_size, 3, input_size[1], input_size[0])
    with torch.no_grad():
        return throughput(lambda: model(images, None, mode='tensor'), seconds, batch_size)


def measure_video(name: str, video: str, ours_cfg: Config, stock_cfg: Config,
                  args: argparse.Namespace, work_dir: str) -> list:
    """The rows of one video."""
    input_size = tuple(ours_cfg.codec.input_size)
    out = osp.join(work_dir, 'records.jsonl')
    ours = build(ours_cfg)

    def onnxruntime_model():  # built when its row runs: an idle session's threads compete
        onnx_file = export_onnx(ours, osp.join(work_dir, f'{name}.onnx'), input_size,
                                dynamic_batch=True)
        return use_onnxruntime(copy.deepcopy(ours), onnx_file)

    runs = [  # (label, model factory, batch size, also network-only)
        ('ours, torch', lambda: ours, args.batch_size, True),
        ('ours, onnxruntime', onnxruntime_model, args.batch_size, True),
        ('ours, torch, flip test on', lambda: build(ours_cfg, flip_test=True), args.batch_size,
         False),
        ('ours, torch, one frame at a time (predict_keypoints)', lambda: ours, 0, False),
        ('SimpleBaseline R18 (mmpose), torch', lambda: build(stock_cfg), args.batch_size, True),
    ]
    rows = []
    for label, factory, batch_size, net in runs:
        model = factory()
        end_to_end(model, video, 2 * args.batch_size, batch_size, out)  # warm-up, untimed
        row = dict(video=name, model=label, batch=batch_size or 1,
                   end_to_end_fps=end_to_end(model, video, args.frames, batch_size, out),
                   network_img_s=network_only(model, input_size, args.batch_size) if net
                   else None)
        print(row, flush=True)
        rows.append(row)
    reference = rows[-1]
    for row in rows:
        row['fps_ratio_vs_stock'] = row['end_to_end_fps'] / reference['end_to_end_fps']
    return rows


def main() -> None:
    args = parse_args()
    init_default_scope('mmpose')
    os.makedirs(args.work_dir, exist_ok=True)
    info = machine()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for video in args.videos:
            if video == 'real':
                data_root, _ = prepare_dataset(args.source, args.work_dir)
                mouse = ours_config(data_root, args.work_dir, 'openfield', epochs=1)
                rows += measure_video('real Openfield 640x480 -> 256x192',
                                      osp.join(args.source, 'videos', 'm3v1mp4.mp4'), mouse,
                                      stock_config(mouse), args, args.work_dir)
            else:
                fly = Config.fromfile(osp.join(ROOT, 'configs', 'unet_fly17.py'))
                stock = Config.fromfile(osp.join(ROOT, 'configs',
                                                 'simplebaseline_res18_fly17.py'))
                rows += measure_video('synthetic fly 192x192 -> 192x192',
                                      fly_video(osp.join(tmp, 'fly.mp4'), args.frames), fly,
                                      stock, args, args.work_dir)
    headers = ['video', 'model', 'batch', 'end-to-end frames/s', 'network img/s',
               'end-to-end x stock']
    table = markdown_table(headers, [[r['video'], r['model'], r['batch'], r['end_to_end_fps'],
                                      '' if r['network_img_s'] is None else r['network_img_s'],
                                      r['fps_ratio_vs_stock']] for r in rows])
    command = ''.join(f' {arg}' for arg in sys.argv[1:])
    markdown = (f'# Video inference, end to end\n\n`python benchmarks/bench_video.py{command}` '
                f'on {info["cpu"]} '
                f'({info["cores"]} cores, {info["torch_threads"]} torch threads, torch '
                f'{info["torch"]}, CUDA {"yes" if info["cuda"] else "no"}), fp32. '
                f'{__doc__.split(chr(10) + chr(10))[1]}\n\n{table}\n')
    print('\n' + table)
    write_results(args.out, dict(machine=info, frames=args.frames, batch=args.batch_size,
                                results=rows), markdown)


if __name__ == '__main__':
    main()
