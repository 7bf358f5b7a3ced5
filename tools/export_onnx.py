"""Export a trained pose model's network (image -> heatmaps, BN folded) to ONNX; a
several-animal model with identities also outputs the features its identity classifier reads.

    python tools/export_onnx.py configs/unet_fly17.py CKPT --out unet_fly17.onnx [--dynamic-batch]
    python tools/infer.py configs/unet_fly17.py CKPT clip.mp4 --backend onnxruntime --onnx unet_fly17.onnx

torch.onnx.export (TorchScript exporter, dynamo=False), opset 17; keypoints are decoded in
Python by the config's codec, so both backends give the same records.
"""
import argparse
import os.path as osp
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from mmpose_animal.apis import load_pose_model
from mmpose_animal.apis.onnx_export import OPSET, export_onnx
from mmpose_animal.apis.onnx_quantize import calibration_inputs, quantize_int8
from mmpose_animal.engine import CheckpointLoadError


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='pose config file')
    parser.add_argument('checkpoint', help='pose checkpoint')
    parser.add_argument('--out', required=True, help='the .onnx file to write')
    parser.add_argument('--input-size', type=int, nargs=2, metavar=('W', 'H'),
                        help='network input size (default: the head codec input_size)')
    parser.add_argument('--dynamic-batch', action='store_true', help='variable batch size')
    parser.add_argument('--int8-calibration', type=int, metavar='N',
                        help='also write <out>_int8.onnx: static int8 quantization calibrated '
                        'on the first N training images (onnxruntime)')
    args = parser.parse_args(argv)
    try:
        model = load_pose_model(args.config, args.checkpoint)
    except (FileNotFoundError, ValueError, CheckpointLoadError, RuntimeError) as error:
        sys.exit(f'export_onnx.py: error: {error}')
    size = tuple(args.input_size or model.head.decoder.input_size)
    export_onnx(model, args.out, size, args.dynamic_batch)
    outputs = ' and pooled features' if getattr(model, 'num_identities', 0) else ''
    print(f'{args.out}: image (B, 3, {size[1]}, {size[0]}) -> heatmaps{outputs}, opset {OPSET}')
    if args.int8_calibration:
        try:
            inputs = calibration_inputs(model, model.cfg, args.int8_calibration)
        except (FileNotFoundError, ValueError) as error:
            sys.exit(f'export_onnx.py: error: {error}')
        int8 = quantize_int8(args.out, osp.splitext(args.out)[0] + '_int8.onnx', inputs)
        print(f'{int8}: int8 (QDQ, per-channel weights), calibrated on {len(inputs)} images')


if __name__ == '__main__':
    main()
