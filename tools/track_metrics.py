"""Score predicted animal tracks against labelled ones on a video: MOTA, IDF1, identity
switches (CLEAR MOT and Identity of TrackEval) and the keypoint error of matched animals.

    python tools/track_metrics.py infer_out/clip.predictions.slp labels.slp
    python tools/track_metrics.py infer_out/clip.sequence.npz CollectedData_me.h5 \
        --frames 550:1100 --out metrics.json

A predicted animal matches a labelled one in a frame when it puts at least --threshold of the
labelled keypoints within --radius pixels (default: 0.2 of the labelled animals' median size).
"""
import argparse
import json
import sys

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
import numpy as np

from mmpose_animal.evaluation.functional import track_metrics
from mmpose_animal.fileio.labels.read_sleap import parse_frames
from mmpose_animal.fileio.track_files import read_tracks
from mmpose_animal.postprocessing.identity_tracking import animal_size


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('predictions', help='predicted tracks: .slp, DeepLabCut .h5 / .csv, '
                        'or tools/infer.py\'s .sequence.npz')
    parser.add_argument('labels', help='labelled tracks: .slp or DeepLabCut .h5 / .csv')
    parser.add_argument('--frames', help='score only these frames, START:STOP[:STEP]')
    parser.add_argument('--radius', type=float,
                        help='pixels within which a keypoint is found (default: 0.2 of the '
                        'labelled animals\' median size)')
    parser.add_argument('--threshold', type=float, default=0.5,
                        help='least share of found keypoints for a match')
    parser.add_argument('--tracks', nargs='+', help='score only these labelled tracks')
    parser.add_argument('--out', help='also write the metrics to this JSON file')
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    try:
        truth, predicted = read_tracks(args.labels), read_tracks(args.predictions)
        names = truth.keypoint_names
        labels, points = truth.points, predicted.in_order_of(names, args.predictions)
        if args.tracks:
            missing = sorted(set(args.tracks) - set(truth.track_names))
            if missing:
                raise ValueError(f'{args.labels}: no track {missing} ({truth.track_names})')
            labels = labels[:, [truth.track_names.index(t) for t in args.tracks]]
        frames = min(len(labels), len(points))
        chosen = np.arange(frames)
        if args.frames:
            keep = parse_frames(args.frames)
            chosen = np.array([t for t in chosen if keep(t)], int)
        if not len(chosen):
            raise ValueError(f'no frame to score (the files share {frames} frames)')
        labels, points = labels[chosen], points[chosen]
        radius = args.radius or 0.2 * animal_size(labels)
        result = track_metrics(labels, points, radius, args.threshold)
    except (FileNotFoundError, ValueError, ImportError) as error:
        sys.exit(f'track_metrics.py: error: {error}')
    result.update(radius_px=radius, labelled_tracks=labels.shape[1],
                  predicted_tracks=points.shape[1])
    for key, value in result.items():
        print(f'{key:>22}: {value:.4g}' if isinstance(value, float) else f'{key:>22}: {value}')
    if args.out:
        with open(args.out, 'w') as file:
            json.dump(result, file, indent=1)
        print(f'written: {args.out}')


if __name__ == '__main__':
    main()
