"""Predict keypoints on videos and image folders, post-process the trajectories, score every
frame, and write what labs analyse: one video, or a whole experiment.

    python tools/infer.py configs/unet_fly17.py work_dirs/unet_fly17/epoch_60.pth \
        frames/ clip.mp4 --out-dir infer_out
    # DeepLabCut H5 + CSV (raw and _filtered) and SLEAP .slp beside <video>.predictions.jsonl
    python tools/infer.py CONFIG CKPT clip.mp4 --format jsonl dlc slp
    # a whole experiment: folders of videos, lists (.txt) and patterns; two worker processes;
    # a re-run skips finished videos and resumes a killed one from its last saved chunk
    python tools/infer.py CONFIG CKPT day1/ day2/ 'extra/*.avi' --workers 2 --out-dir out
    # a slurm array: each task takes its share of the videos (or --shard INDEX/COUNT)
    sbatch --array=0-19 tools/slurm_infer.sh CONFIG CKPT videos/ --out-dir out
    # other post-processing, or none
    python tools/infer.py CONFIG CKPT clip.mp4 --steps ConfidenceCut:threshold=0.5 \
        SavitzkyGolay:window=9,order=3
    python tools/infer.py CONFIG CKPT clip.mp4 --no-steps
    # an mmdet detector proposes the boxes first (models of imported boxes)
    python tools/infer.py CONFIG CKPT clip.mp4 --det-config DET.py --det-checkpoint DET.pth

Every video's outputs are written atomically and marked done (<video>.done.json); one that
cannot be read is named in <video>.failed.json and the others go on. summary.csv and
summary.png show how each video went. The exit status is 1 when a video failed.
"""
import argparse
import os
import sys
from functools import partial

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from tqdm import tqdm

from mmpose_animal.apis import group_inputs
from mmpose_animal.apis.experiment import (CHUNK_FRAMES, build_experiment, run_experiment,
                                           shard, shard_from_environment)
from mmpose_animal.engine import CheckpointLoadError
from mmpose_animal.fileio import list_inputs
from mmpose_animal.fileio.prediction_files import EXPORT_FORMATS, check_formats
from mmpose_animal.postprocessing import (DEFAULT_FPS, DEFAULT_STEPS, build_steps,
                                          describe_steps, parse_step)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Predict keypoints on videos and images')
    parser.add_argument('config', help='pose config file')
    parser.add_argument('checkpoint', help='pose checkpoint')
    parser.add_argument('inputs', nargs='+', help='videos, images, folders of videos or '
                        'images, lists of them (.txt, one per line), or patterns (\'*.mp4\')')
    parser.add_argument('--out-dir', default='infer_out', help='where the files go')
    parser.add_argument('--device', default='cpu', help='cpu or cuda:0, ...')
    parser.add_argument('--format', nargs='+', default=['jsonl'], metavar='FMT',
                        help=f'prediction files, one or more of {EXPORT_FORMATS}: jsonl '
                        f'(<video>.predictions.jsonl), dlc (DeepLabCut H5 + CSV, raw and '
                        f'_filtered), lp (Lightning Pose CSV), slp (SLEAP predictions), nwb '
                        f'(NWB, videos)')
    steps = parser.add_mutually_exclusive_group()
    steps.add_argument('--steps', nargs='+', metavar='STEP',
                       help=f'post-processing steps, in order: Name or Name:key=value,... '
                       f'(default, at {DEFAULT_FPS:g} frames/s: {describe_steps(DEFAULT_STEPS)}; '
                       f'windows and gaps are scaled to a video\'s frame rate)')
    steps.add_argument('--no-steps', action='store_true', help='no post-processing')
    parser.add_argument('--no-track', action='store_true',
                        help='several animals: keep each frame\'s order instead of following '
                        'identities across frames')
    parser.add_argument('--appearance', action='store_true',
                        help='several animals: tell them apart by appearance too (a model '
                        'that learned the labels\' identities; the tracks take their names)')
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
    parser.add_argument('--workers', type=int, default=1,
                        help='processes analysing videos at once (each loads the model once '
                        'and gets its share of the CPU threads)')
    parser.add_argument('--shard', metavar='INDEX/COUNT',
                        help='analyse only this share of the videos (default in a slurm array '
                        'job: its task\'s share)')
    parser.add_argument('--overwrite', action='store_true',
                        help='redo videos an earlier run finished')
    parser.add_argument('--chunk-frames', type=int, default=CHUNK_FRAMES,
                        help='frames predicted between two saves of a long video\'s progress')
    return parser.parse_args(argv)


def parse_shard(text: str):
    index, sep, count = text.partition('/')
    if not sep or not index.isdigit() or not count.isdigit():
        raise ValueError(f'--shard {text!r}: expected INDEX/COUNT, e.g. 0/4')
    return int(index), int(count)


def main(argv=None) -> None:
    args = parse_args(argv)
    if bool(args.det_config) != bool(args.det_checkpoint):
        sys.exit('infer.py: error: --det-config and --det-checkpoint go together')
    if args.backend == 'onnxruntime' and not args.onnx:
        sys.exit('infer.py: error: --backend onnxruntime needs --onnx MODEL.onnx '
                 '(tools/export_onnx.py writes it)')
    try:
        steps = [] if args.no_steps else [parse_step(s) for s in args.steps] if args.steps \
            else None
        build_steps(steps)
        inputs = group_inputs(list_inputs(args.inputs))
        formats = check_formats(args.format, inputs)
        share = parse_shard(args.shard) if args.shard else shard_from_environment(os.environ)
        if share:
            inputs = shard(inputs, *share)
            print(f'shard {share[0]}/{share[1]}: {len(inputs)} of the inputs')
        detector = dict(config=args.det_config, checkpoint=args.det_checkpoint,
                        device=args.device, score_thr=args.det_score_thr,
                        cat_ids=args.det_cat_ids) if args.det_config else None
        build = partial(build_experiment, args.config, args.checkpoint, args.out_dir, formats,
                        device=args.device,
                        onnx=args.onnx if args.backend == 'onnxruntime' else None,
                        fuse=not args.no_fuse, steps=steps, batch_size=args.batch_size,
                        detector=detector, track=not args.no_track,
                        appearance=args.appearance, overlay=not args.no_overlay,
                        plots=not args.no_plots, overwrite=args.overwrite,
                        chunk_frames=args.chunk_frames)
        os.makedirs(args.out_dir, exist_ok=True)
        experiment = build()  # a bad model or option fails here, before any video
        if args.workers == 1:
            build = partial(_same, experiment)
    except (FileNotFoundError, KeyError, ValueError, CheckpointLoadError,
            RuntimeError) as error:
        sys.exit(f'infer.py: error: {error.args[0] if isinstance(error, KeyError) else error}')

    def report(row) -> None:
        if row.status == 'failed':
            print(f'{row.source}: FAILED: {row.reason}', flush=True)
            return
        print(f'{row.source}: {row.status}, {row.frames} frames '
              f'({row.frames_per_s:.1f} frames/s), mean confidence '
              f'{row.mean_confidence:.2f}, {row.outlier_frames} outlier frames; '
              f'post-processing {row.steps}', flush=True)
        for name in row.files if row.status == 'done' else ():
            print(f'written: {os.path.join(args.out_dir, name)}')
    results = run_experiment(inputs, build, args.out_dir, args.workers, report,
                             progress=lambda it, total, name: tqdm(it, total=total,
                                                                   unit='frame', desc=name))
    failed = [row.source for row in results if row.status == 'failed']
    print(f'{len(results) - len(failed)} of {len(results)} inputs analysed, {len(failed)} '
          f'failed{": " + ", ".join(failed) if failed else ""}; summary: '
          f'{os.path.join(args.out_dir, "summary.csv")}')
    if failed:
        sys.exit(1)


def _same(experiment):
    """The experiment already built in this process (one worker: the model loads once)."""
    return experiment


if __name__ == '__main__':
    main()
