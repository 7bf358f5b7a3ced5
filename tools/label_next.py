"""Pick the frames to label next from videos, and write them as a labelling job.

The frames where the model is worst (low confidence, jumps off the filtered trajectory,
impossible skeletons), spread over appearance (k-means on thumbnails) and over time (never two
within --min-gap frames), go into a DeepLabCut project with the model's guesses
(machinelabels-iter<k>.h5, for DeepLabCut's refine step) or into a SLEAP file as suggestions
with predicted instances.

    python tools/label_next.py configs/mouse.py CKPT video.mp4 --num 20 --out dlc_job
    python tools/label_next.py configs/mouse.py CKPT video.mp4 --num 20 --project DLC_PROJECT
    python tools/label_next.py configs/mouse.py CKPT video.mp4 --num 20 --format slp \
        --out job.slp
    # reuse the predictions tools/infer.py saved (<video>.sequence.npz)
    python tools/label_next.py CONFIG CKPT video.mp4 --predictions infer_out/video.sequence.npz
"""
import argparse
import os.path as osp
import sys
import time

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
from tqdm import tqdm

from mmpose_animal.apis import (SequenceInput, VideoLoop, fuse_for_inference, load_pose_model,
                                read_frames, write_labelling_job)
from mmpose_animal.engine import CheckpointLoadError
from mmpose_animal.fileio import is_video, load_sequence
from mmpose_animal.postprocessing import parse_step


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='pose config file')
    parser.add_argument('checkpoint', help='pose checkpoint')
    parser.add_argument('videos', nargs='+', help='the videos to pick frames from')
    parser.add_argument('--num', type=int, default=20, help='frames to pick (in all)')
    parser.add_argument('--format', choices=('dlc', 'slp'), default='dlc',
                        help='dlc: a DeepLabCut project; slp: a SLEAP labels file')
    parser.add_argument('--out', help='dlc: the project folder to create (without '
                        '--project); slp: the .slp to write')
    parser.add_argument('--project', help='dlc: an existing DeepLabCut project to add to')
    parser.add_argument('--predictions', nargs='+', metavar='NPZ',
                        help='the <video>.sequence.npz tools/infer.py saved, one per video '
                        '(skips predicting again)')
    parser.add_argument('--steps', nargs='+', metavar='STEP',
                        help='post-processing the outlier scores compare against (default: '
                        'infer.py\'s)')
    parser.add_argument('--min-gap', type=int, default=None,
                        help='least frames between two picks of one video (default: the '
                        'video length / (4 x num), at least 10)')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--seed', type=int, default=0, help='seed of the k-means')
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args(argv)
    if args.format == 'dlc' and not (args.out or args.project):
        parser.error('--format dlc needs --project DLC_PROJECT or --out NEW_PROJECT_DIR')
    if args.format == 'slp' and not (args.out and args.out.endswith('.slp')):
        parser.error('--format slp needs --out FILE.slp')
    if args.predictions and len(args.predictions) != len(args.videos):
        parser.error(f'--predictions: one file per video ({len(args.videos)} videos, '
                     f'{len(args.predictions)} files)')
    if args.num < 1:
        parser.error(f'--num must be >= 1, got {args.num}')
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    start = time.perf_counter()
    try:
        for video in args.videos:
            if not osp.isfile(video) or not is_video(video):
                raise ValueError(f'{video} is not a video file')
        model = fuse_for_inference(load_pose_model(args.config, args.checkpoint, args.device))
        steps = [parse_step(s) for s in args.steps] if args.steps else None
        loop = VideoLoop(model, steps, args.batch_size)
        analyses = []
        for index, video in enumerate(args.videos):
            item = SequenceInput(video, True)
            raw = (load_sequence(args.predictions[index], video, read_frames(item)[1])
                   if args.predictions else None)
            analyses.append(loop.analyse(item, lambda it, total, name: tqdm(
                it, total=total, desc=name), raw=raw))
    except (FileNotFoundError, KeyError, ValueError, CheckpointLoadError) as error:
        sys.exit(f'label_next.py: error: {error.args[0] if isinstance(error, KeyError) else error}')
    predicted = time.perf_counter()
    picks = loop.pick(analyses, args.num, args.min_gap, args.seed)
    picked = time.perf_counter()
    for pick in picks:
        print(f'{osp.basename(args.videos[pick.video])} frame {pick.frame}: {pick.reason} '
              f'(appearance group {pick.cluster})')
    written, notes = write_labelling_job(analyses, picks, args.format, args.out, args.project)
    for note in notes:
        print(f'note: {note}')
    for path in written:
        print(f'written: {path}')
    print(f'predict + post-process + score: {predicted - start:.1f} s, pick: '
          f'{picked - predicted:.1f} s, write job: {time.perf_counter() - picked:.1f} s')


if __name__ == '__main__':
    main()
