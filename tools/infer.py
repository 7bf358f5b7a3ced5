"""Predict keypoints on videos and image folders, post-process the trajectories, score every
frame, and write what labs analyse.

    python tools/infer.py configs/unet_fly17.py work_dirs/unet_fly17/epoch_60.pth \
        frames/ clip.mp4 --out-dir infer_out
    # DeepLabCut H5 + CSV (raw and _filtered) and SLEAP .slp beside predictions.jsonl
    python tools/infer.py CONFIG CKPT clip.mp4 --format jsonl dlc slp
    # other post-processing, or none
    python tools/infer.py CONFIG CKPT clip.mp4 --steps ConfidenceCut:threshold=0.5 \
        SavitzkyGolay:window=9,order=3
    python tools/infer.py CONFIG CKPT clip.mp4 --no-steps
    # several animals per frame: an mmdet detector proposes the boxes first
    python tools/infer.py CONFIG CKPT clip.mp4 --det-config DET.py --det-checkpoint DET.pth
"""
import argparse
import os
import os.path as osp
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from tqdm import tqdm

from mmpose_animal.apis import (Detector, VideoLoop, fuse_for_inference, group_inputs,
                                load_pose_model)
from mmpose_animal.apis.onnx_export import use_onnxruntime
from mmpose_animal.engine import CheckpointLoadError
from mmpose_animal.fileio import list_inputs
from mmpose_animal.fileio.prediction_files import EXPORT_FORMATS, check_formats, write_jsonl
from mmpose_animal.postprocessing import DEFAULT_FPS, DEFAULT_STEPS, describe_steps, parse_step


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Predict keypoints on videos and images')
    parser.add_argument('config', help='pose config file')
    parser.add_argument('checkpoint', help='pose checkpoint')
    parser.add_argument('inputs', nargs='+', help='videos, images, or folders of images')
    parser.add_argument('--out-dir', default='infer_out', help='where the files go')
    parser.add_argument('--device', default='cpu', help='cpu or cuda:0, ...')
    parser.add_argument('--format', nargs='+', default=['jsonl'], metavar='FMT',
                        help=f'prediction files, one or more of {EXPORT_FORMATS}: jsonl '
                        f'(predictions.jsonl), dlc (DeepLabCut H5 + CSV per video / folder, '
                        f'raw and _filtered), slp (SLEAP predictions), nwb (NWB, videos)')
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument('--steps', nargs='+', metavar='STEP',
                       help=f'post-processing steps, in order: Name or Name:key=value,... '
                       f'(default, at {DEFAULT_FPS:g} frames/s: {describe_steps(DEFAULT_STEPS)}; '
                       f'windows and gaps are scaled to a video\'s frame rate)')
    steps.add_argument('--no-steps', action='store_true', help='no post-processing')
    parser.add_argument('--no-track', action='store_true',
                        help='several animals: keep the detector\'s order in each frame '
                        'instead of following identities across frames')
    parser.add_argument('--backend', choices=('torch', 'onnxruntime'), default='torch',
                        help='what runs the network (decoding is the same Python code)')
    parser.add_argument('--onnx', help='with --backend onnxruntime: the model from '
                        'tools/export_onnx.py')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='frames per network call (whole-frame boxes; frames are '
                        'decoded and preprocessed in a background thread)')
    parser.add_argument('--no-fuse', action='store_true',
                        help='torch backend: keep BN layers (by default they are folded into '
                        'the convs and weights stored channels-last: same output, faster)')
    parser.add_argument('--no-overlay', action='store_true', help='write no overlays')
    parser.add_argument('--no-plots', action='store_true', help='write no PNG plots')
    parser.add_argument('--det-config', help='mmdet config: detect the animals first')
    parser.add_argument('--det-checkpoint', help='mmdet checkpoint')
    parser.add_argument('--det-score-thr', type=float, default=0.5,
                        help='keep detections scoring at least this')
    parser.add_argument('--det-cat-ids', type=int, nargs='+',
                        help='keep only these detector classes (default: all)')
    return parser.parse_args(argv)


def progress_bar(frames, total, name):
    return tqdm(frames, total=total, unit='frame', desc=name)


def main(argv=None) -> None:
    args = parse_args(argv)
    if bool(args.det_config) != bool(args.det_checkpoint):
        sys.exit('infer.py: error: --det-config and --det-checkpoint go together')
    try:
        steps = [] if args.no_steps else [parse_step(s) for s in args.steps] if args.steps \
            else None
        inputs = group_inputs(list_inputs(args.inputs))
        formats = check_formats(args.format, inputs)
        model = load_pose_model(args.config, args.checkpoint, args.device)
        if args.backend == 'onnxruntime':
            if not args.onnx:
                raise ValueError('--backend onnxruntime needs --onnx MODEL.onnx '
                                 '(tools/export_onnx.py writes it)')
            use_onnxruntime(model, args.onnx)
        elif not args.no_fuse:
            fuse_for_inference(model)
        detector = Detector(args.det_config, args.det_checkpoint, args.device,
                            args.det_score_thr, args.det_cat_ids) if args.det_config else None
        loop = VideoLoop(model, steps, args.batch_size, detector, track=not args.no_track)
    except (FileNotFoundError, KeyError, ValueError, CheckpointLoadError,
            RuntimeError) as error:
        sys.exit(f'infer.py: error: {error.args[0] if isinstance(error, KeyError) else error}')
    os.makedirs(args.out_dir, exist_ok=True)
    jsonl = osp.join(args.out_dir, 'predictions.jsonl')
    written = []
    for index, item in enumerate(inputs):
        try:
            analysis = loop.analyse(item, progress_bar)
        except ValueError as error:
            sys.exit(f'infer.py: error: {error}')
        raw = analysis.raw
        if raw.located is not None:
            print(f'{item.source}: the animal was found on the whole frame in '
                  f'{int(raw.located.sum())} of {raw.num_frames} frames (the first, where it '
                  f'was lost or a keypoint stayed unseen); the others were cropped where the '
                  f'keypoints were last seen')
        print(f'{item.source}: post-processing {describe_steps(analysis.steps)}')
        if 'jsonl' in formats:
            write_jsonl(raw, jsonl, analysis.filtered, append=index > 0)
        written += loop.write(analysis, args.out_dir, formats, overlay=not args.no_overlay,
                              plots=not args.no_plots)
    for path in ([jsonl] if 'jsonl' in formats else []) + written:
        print(f'written: {path}')


if __name__ == '__main__':
    main()
