"""A whole real video, end to end: the crop-based model against the whole-frame model, torch
and onnxruntime, in one run.

Each model predicts every frame of the real Openfield recording through
``predict_sequence`` (what ``tools/infer.py`` runs: decoding, the test pipeline, network,
decoding of the heatmaps) and writes the jsonl records; frames/s are over that whole path.
Both go through the network in batches of frames: the whole-frame model once per frame, the
crop-based one twice (the whole frame finds the animal, then its crop), each frame on its
own. Torch models run with BN folded and channels-last weights (``tools/infer.py``'s
default); flip test as each config says, and the crop-based model once more with the other
setting. The two models' points are compared frame by frame (no labels exist for the video:
agreement, not accuracy).

    python benchmarks/bench_crop_video.py --whole CONFIG CHECKPOINT --crop CONFIG CHECKPOINT

Writes benchmarks/results/crop_video.{json,md}.
"""
import argparse
import copy
import gc
import os
import os.path as osp
import sys
import time

import numpy as np
from mmengine.config import Config

from mmpose_animal.apis import (SequenceInput, fuse_for_inference, load_pose_model,
                                predict_sequence)
from mmpose_animal.apis.onnx_export import export_onnx, use_onnxruntime
from mmpose_animal.fileio import save_sequence
from mmpose_animal.fileio.prediction_files import write_jsonl
from common import DEFAULT_SOURCE, ROOT, machine, markdown_table, relative, write_results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--whole', nargs=2, required=True, metavar=('CONFIG', 'CHECKPOINT'),
                        help='the whole-frame model')
    parser.add_argument('--crop', nargs=2, required=True, metavar=('CONFIG', 'CHECKPOINT'),
                        help='the crop-based model')
    parser.add_argument('--video', default=osp.join(DEFAULT_SOURCE, 'videos', 'm3v1mp4.mp4'))
    parser.add_argument('--batch-size', type=int, default=8, help='whole-frame batches')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_crop_video'))
    return parser.parse_args()


def backends(config: str, checkpoint: str, name: str, work_dir: str, flip_test=None):
    """(label, model factory) for torch and onnxruntime; the ONNX file is ``<name>.onnx``.
    ``flip_test`` overrides the config's."""
    def torch_model():
        model = fuse_for_inference(load_pose_model(config, checkpoint))
        if flip_test is not None:
            model.test_cfg['flip_test'] = flip_test
        return model

    def onnxruntime_model():
        model = torch_model()
        stem = name.replace(', ', '_').replace(' ', '_')
        onnx_file = export_onnx(model, osp.join(work_dir, f'{stem}.onnx'),
                                tuple(model.cfg.codec.input_size), dynamic_batch=True)
        return use_onnxruntime(copy.deepcopy(model), onnx_file)

    return [(f'{name}, torch', torch_model), (f'{name}, onnxruntime', onnxruntime_model)]


def run(model, video: str, batch_size: int, out_file: str) -> dict:
    """Predict the whole video and write its records: frames/s and the sequence."""
    start = time.perf_counter()
    sequence = predict_sequence(model, SequenceInput(video, True), batch_size)
    write_jsonl(sequence, out_file)
    seconds = time.perf_counter() - start
    return dict(sequence=sequence, seconds=seconds, fps=sequence.num_frames / seconds)


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    info = machine()
    rows, sequences = [], {}
    crop_flip = Config.fromfile(args.crop[0]).model.get('test_cfg', {}).get('flip_test', False)
    runs = [('whole frame', args.whole, None), ('crops', args.crop, None),
            (f'crops, flip test {"off" if crop_flip else "on"}', args.crop, not crop_flip)]
    for name, (config, checkpoint), flip_test in runs:
        for label, factory in backends(config, checkpoint, name, args.work_dir, flip_test):
            model = factory()
            size = tuple(model.cfg.codec.input_size)
            result = run(model, args.video, args.batch_size,
                         osp.join(args.work_dir, 'records.jsonl'))
            sequence = result['sequence']
            sequences[label] = sequence
            save_sequence(sequence, osp.join(args.work_dir, f'{label.replace(", ", "_")}.npz'))
            rows.append(dict(model=label, input=f'{size[0]}x{size[1]}',
                             frames=sequence.num_frames, seconds=result['seconds'],
                             fps=result['fps'],
                             flip_test=bool(model.test_cfg.get('flip_test', False))))
            print(rows[-1], flush=True)
            del model  # an onnxruntime session left alive slows the next runs
            gc.collect()
    for row in rows:
        base = next(r for r in rows if r['model'] == 'whole frame, ' +
                    row['model'].rsplit(', ', 1)[1])
        row['fps_vs_whole'] = row['fps'] / base['fps']
    whole, crops = sequences['whole frame, torch'], sequences['crops, torch']
    distance = np.linalg.norm(whole.keypoints[:, 0] - crops.keypoints[:, 0], axis=-1)
    agreement = dict(median_px=float(np.nanmedian(distance)),
                     p90_px=float(np.nanpercentile(distance, 90)),
                     ort_vs_torch_crops_median_px=float(np.nanmedian(np.linalg.norm(
                         sequences['crops, onnxruntime'].keypoints - crops.keypoints,
                         axis=-1))))
    headers = ['model', 'input', 'frames', 'seconds', 'frames/s', 'x whole frame', 'flip test']
    table = markdown_table(headers, [[r['model'], r['input'], r['frames'], r['seconds'],
                                      r['fps'], r['fps_vs_whole'], r['flip_test']]
                                     for r in rows])
    command = ' '.join(relative(a) if osp.exists(a) else a for a in sys.argv[1:])
    markdown = (
        f'# A real video end to end: crops vs the whole frame\n\n'
        f'`python benchmarks/bench_crop_video.py {command}` on {info["cpu"]} '
        f'({info["cores"]} cores, {info["torch_threads"]} torch threads, torch '
        f'{info["torch"]}), fp32, {relative(args.video)}. '
        f'{__doc__.split(chr(10) + chr(10))[1]}\n\n{table}\n\nThe two models\' points '
        f'(torch) differ by a median of {agreement["median_px"]:.1f} px (90th percentile '
        f'{agreement["p90_px"]:.1f} px); onnxruntime and torch crops by a median of '
        f'{agreement["ort_vs_torch_crops_median_px"]:.3f} px.\n')
    print('\n' + table + f'\n\n{agreement}')
    write_results('crop_video', dict(machine=info, video=relative(args.video),
                                     results=rows, agreement=agreement), markdown)


if __name__ == '__main__':
    main()
