"""int8 with onnxruntime: accuracy and speed against fp32, for a trained model.

The model's network is exported (fp32 ONNX), quantized statically to int8 (QDQ, per-channel
weights, activations calibrated on the first N training images), and the three versions are
tested on the config's test split with mmpose's runner (same pipeline, flip test and decoding;
only the network differs): torch fp32, onnxruntime fp32, onnxruntime int8. Network-only img/s
at batch 8.

    make quickstart   # a trained synthetic fly model, and data/fly17
    python benchmarks/bench_int8.py configs/unet_fly17_quickstart.py \
        work_dirs/quickstart_*/best_EPE_epoch_12.pth [--calibration 64]

Writes benchmarks/results/int8.{json,md} (``--out NAME``: NAME.{json,md}).
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config
from mmengine.runner import Runner

from mmpose_animal.apis import fuse_for_inference
from mmpose_animal.apis.onnx_export import export_onnx, use_onnxruntime
from mmpose_animal.apis.onnx_quantize import calibration_inputs, quantize_int8
from bench_video import network_only
from common import ROOT, machine, markdown_table, write_results


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--calibration', type=int, default=64, help='calibration images')
    parser.add_argument('--out', default='int8', help='results name (benchmarks/results/OUT.*)')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_int8'))
    return parser.parse_args()


def runner_for(args: argparse.Namespace, name: str) -> Runner:
    """The config's runner with the checkpoint loaded (test split from the config)."""
    cfg = Config.fromfile(args.config)
    cfg.work_dir = osp.join(args.work_dir, name)
    cfg.load_from = args.checkpoint
    runner = Runner.from_cfg(cfg)
    runner.load_or_resume()
    runner.model.eval()
    return runner


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    info = machine()
    runner = runner_for(args, 'export')
    model = runner.model
    input_size = tuple(model.head.decoder.input_size)
    fp32 = export_onnx(model, osp.join(args.work_dir, 'model.onnx'), input_size,
                       dynamic_batch=True)
    inputs = calibration_inputs(model, runner.cfg, args.calibration)
    int8 = quantize_int8(fp32, osp.join(args.work_dir, 'model_int8.onnx'), inputs)

    rows = []
    for name, short, onnx_file in (('torch fp32 (BN folded, channels-last)', 'torch', None),
                                   ('onnxruntime fp32', 'ort_fp32', fp32),
                                   ('onnxruntime int8', 'ort_int8', int8)):
        runner = runner_for(args, short)
        if onnx_file:
            use_onnxruntime(runner.model, onnx_file)
        else:
            fuse_for_inference(runner.model)
        metrics = runner.test()
        rows.append(dict(network=name, img_s=network_only(runner.model, input_size, 8),
                         size_mb=osp.getsize(onnx_file) / 1e6 if onnx_file else None,
                         **{k: float(v) for k, v in metrics.items()}))
        print(rows[-1], flush=True)
    headers = ['network', 'img/s (batch 8)', 'file MB', 'EPE (px)', 'median', 'p95', 'PCK@0.2',
               'AUC']
    table = markdown_table(headers, [[r['network'], r['img_s'], r['size_mb'] or '', r['EPE'],
                                      r['dist/median'], r['dist/p95'], r['PCK'], r['AUC']]
                                     for r in rows])
    command = ' '.join(['python benchmarks/bench_int8.py', *sys.argv[1:]])
    markdown = (f'# int8 (onnxruntime) against fp32\n\n`{command}` on '
                f'{info["cpu"]} ({info["cores"]} cores, {info["torch_threads"]} torch threads, '
                f'torch {info["torch"]}). The config\'s test split, flip test as configured, '
                f'distances in original-image pixels.\n\n{table}\n')
    print('\n' + table)
    write_results(args.out, dict(machine=info, config=args.config, checkpoint=args.checkpoint,
                                 calibration=args.calibration, results=rows), markdown)


if __name__ == '__main__':
    main()
