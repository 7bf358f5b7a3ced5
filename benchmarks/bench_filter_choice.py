"""Which post-processing chain brings a video's points closest to the truth, at several
frame rates? Measured without labels, against independently trained models.

Given the raw predictions of one video by two or more independently trained models (saved
``.sequence.npz``), each chain filters one model's points and is scored by their mean
squared distance to another model's raw points, over every ordered pair of models. With
``raw_y = truth + bias_y + noise_y`` and ``noise_y`` independent of model x,
``E|filtered_x - raw_y|^2 = E|filtered_x - truth - bias_y|^2 + E|noise_y|^2``: the last term
is the same for every chain, so the chain with the lowest error is the one whose points are
closest to the truth (up to the models' bias), and a chain that smooths away real motion
scores worse than no smoothing. Errors the two models share over time (models of one
architecture trained on the same labels) look like motion here, so such a pair undervalues
smoothing: read it beside a pair of differently built models. Frames count where both models score at least the default
confidence cut on every keypoint and their raw points lie within ``--max-disagreement`` px
(a gross miss of one model is not what a smoothing filter is chosen for).

Lower frame rates are made by keeping every n-th frame (all n offsets, averaged). Each chain
is the default's unsmoothed steps (confidence cut, spike rejection, gap filling) followed by
a running median and a Savitzky-Golay filter of the given windows (0: none); ``default`` is
``default_steps`` (windows scaled to the frame rate), ``default, 30 frames/s counts`` the
same windows in frames at every rate. The jitter cut (median |second difference| raw /
filtered per keypoint) is the first model's.

    python benchmarks/bench_filter_choice.py A.sequence.npz B.sequence.npz [C.sequence.npz]

Writes benchmarks/results/filter_choice.{json,md}.
"""
import argparse
import dataclasses
import itertools
import sys
from typing import Dict, List

import numpy as np

from mmpose_animal.fileio import load_sequence
from mmpose_animal.postprocessing import (DEFAULT_STEPS, apply_steps, default_steps,
                                          describe_steps)
from mmpose_animal.structures import PoseSequence
from common import jitter, machine, markdown_table, relative, write_results

MEDIANS = (0, 3, 5, 7)
SAVGOLS = (0, 5, 7, 9, 11, 13)
SMOOTHING = ('MedianFilter', 'SavitzkyGolay')
UNSMOOTHED = [dict(step) for step in DEFAULT_STEPS if step['type'] not in SMOOTHING]
CUT = next(step['threshold'] for step in DEFAULT_STEPS if step['type'] == 'ConfidenceCut')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('sequences', nargs='+', help='raw .sequence.npz of one video by '
                        'independently trained models (at least two; the first is ours)')
    parser.add_argument('--every', type=int, nargs='+', default=[1, 2, 3],
                        help='keep every n-th frame (frame rate / n)')
    parser.add_argument('--max-disagreement', type=float, default=15.0,
                        help='px; frames where two models differ more are left out')
    parser.add_argument('--out', default='filter_choice', help='results name')
    args = parser.parse_args()
    if len(args.sequences) < 2:
        parser.error('give the raw predictions of at least two independently trained models')
    return args


def every_nth(sequence: PoseSequence, n: int, offset: int) -> PoseSequence:
    """Frames ``offset``, ``offset + n``, ... as a video at ``fps / n``."""
    frames = slice(offset, None, n)
    return dataclasses.replace(
        sequence, keypoints=sequence.keypoints[frames], scores=sequence.scores[frames],
        boxes=sequence.boxes[frames], fps=sequence.fps / n)


def chains(sequence: PoseSequence) -> Dict[str, List[dict]]:
    """The chains compared on ``sequence`` (its frame rate decides ``default``)."""
    named = {'default': default_steps(sequence),
             'default, 30 frames/s counts': [dict(step) for step in DEFAULT_STEPS]}
    for median, savgol in itertools.product(MEDIANS, SAVGOLS):
        name = f'median {median}, Savitzky-Golay {savgol}' if median or savgol else \
            'no smoothing'
        named[name] = UNSMOOTHED + (
            [dict(type='MedianFilter', window=median)] if median else []) + (
            [dict(type='SavitzkyGolay', window=savgol, order=2)] if savgol else [])
    return named


def score(models: List[PoseSequence], steps: List[dict], max_disagreement: float):
    """Per pair of models (both directions averaged): the mean squared distance (px^2) of
    filtered points to the other model's raw points; and the first model's jitter cut per
    keypoint."""
    filtered = [apply_steps(model, steps).keypoints[:, 0] for model in models]
    errors = []
    for pair in itertools.combinations(range(len(models)), 2):
        both_ways = []
        for x, y in (pair, pair[::-1]):
            raw_x, raw_y = models[x].keypoints[:, 0], models[y].keypoints[:, 0]
            kept = ((models[x].scores[:, 0] >= CUT) & (models[y].scores[:, 0] >= CUT)).all(-1)
            kept &= (np.linalg.norm(raw_x - raw_y, axis=-1) < max_disagreement).all(-1)
            both_ways.append(np.mean(np.sum((filtered[x][kept] - raw_y[kept]) ** 2, axis=-1)))
        errors.append(np.mean(both_ways))
    return np.array(errors), jitter(models[0].keypoints[:, 0]) / jitter(filtered[0])


def smoothing(steps: List[dict]) -> str:
    """Only the smoothing steps of ``steps``, e.g. ``MedianFilter(window=5) -> ...``."""
    filters = [step for step in steps if step['type'] in SMOOTHING]
    return describe_steps(filters) if filters else 'no smoothing'


def main() -> None:
    args = parse_args()
    models = [load_sequence(path) for path in args.sequences]
    if not models[0].fps:
        sys.exit(f'{args.sequences[0]}: its video gives no frame rate; the chains are compared '
                 f'at frame rates (30, 15, 10 frames/s): use predictions of a video that has one')
    names = models[0].keypoint_names
    labels = [chr(ord('A') + i) for i in range(len(models))]
    pairs = [f'{x}-{y}' for x, y in itertools.combinations(labels, 2)]
    parts, markdown_parts = [], []
    for n in args.every:
        errors: Dict[str, list] = {}
        cuts: Dict[str, list] = {}
        for offset in range(n):
            subsampled = [every_nth(model, n, offset) for model in models]
            for name, steps in chains(subsampled[0]).items():
                error, cut = score(subsampled, steps, args.max_disagreement)
                errors.setdefault(name, []).append(error)
                cuts.setdefault(name, []).append(cut)
        fps = models[0].fps / n
        default = smoothing(default_steps(every_nth(models[0], n, 0)))
        unsmoothed = np.mean(errors['no smoothing'], axis=0)
        rows = sorted(([name] + [f'{e:+.3f}' for e in np.mean(errors[name], axis=0) - unsmoothed]
                       + [f'{np.mean(errors[name]) - unsmoothed.mean():+.3f}',
                          ' / '.join(f'{c:.2f}' for c in np.mean(cuts[name], axis=0))]
                       for name in errors), key=lambda row: float(row[-2]))
        parts.append(dict(fps=fps, every=n, default=default,
                          unsmoothed_error=unsmoothed.tolist(), rows=rows))
        markdown_parts.append(
            f'## {fps:.1f} frames/s ({"all frames" if n == 1 else f"every {n} frames"})\n\n'
            f'default here: {default}; error with no smoothing: '
            + ', '.join(f'{pair} {e:.3f}' for pair, e in zip(pairs, unsmoothed))
            + ' px^2\n\n' + markdown_table(
                ['chain'] + pairs + ['mean', f'jitter cut ({" / ".join(names)})'], rows))
        print(markdown_parts[-1])
    info = machine()
    command = ('python benchmarks/bench_filter_choice.py '
               + ' '.join(f'"{relative(p)}"' if ' ' in p else relative(p)
                          for p in args.sequences))
    listed = '; '.join(f'{label}: `{relative(path)}`'
                       for label, path in zip(labels, args.sequences))
    markdown = (f'# Which filter brings a video\'s points closest to the truth?\n\n'
                f'`{command}` on {info["cpu"]} ({info["cores"]} cores): {models[0].num_frames} '
                f'frames of {models[0].stem}, raw points of {len(models)} independently trained '
                f'models ({listed}).\n\nEach pair\'s column: how much a chain changes the mean '
                f'squared distance (px^2) of one model\'s filtered points to the other\'s raw '
                f'points (both directions), against no smoothing; negative is closer to the '
                f'truth (see the script). Models of the same architecture and labels make '
                f'errors that follow each other over time, so their pair undervalues smoothing. '
                f'Jitter cut: model A\'s.\n\n' + '\n\n'.join(markdown_parts))
    write_results(args.out, dict(machine=info, command=command, sequences=args.sequences,
                                 max_disagreement=args.max_disagreement, parts=parts),
                  markdown)


if __name__ == '__main__':
    main()
