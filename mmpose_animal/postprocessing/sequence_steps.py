"""Post-processing of keypoint trajectories: steps that take a :class:`PoseSequence` and
return a new one, built from config dicts (``dict(type='MedianFilter', window=5)``) through
the ``SEQUENCE_STEPS`` registry, so a CLI option or a config can name them.

Each step works on every (instance, keypoint) trajectory on its own, along time. Points are
NaN where missing; the filters (scipy's) run on the runs of consecutive present points.
"""
from typing import Callable, Iterable, List, Optional, Sequence, Union

import numpy as np
from mmengine.registry import Registry
from scipy.ndimage import median_filter
from scipy.signal import savgol_filter

from ..structures import PoseSequence

SEQUENCE_STEPS = Registry('sequence step', scope='mmpose')  # the plugin's default scope
StepConfig = Union[dict, Callable[[PoseSequence], PoseSequence]]

# A move between neighbouring frames larger than this share of the frame diagonal is a jump
# (JumpRejection's default; frame_quality counts a jump this large fully).
RELATIVE_JUMP = 0.05
# Points scoring under this are unsure (ConfidenceCut's default, DeepLabCut's pcutoff; the
# test metric's p-cutoff error keeps the same points).
CONFIDENCE_CUT = 0.3
# The default chain of tools/infer.py: cut unsure points, drop one- or two-frame spikes, fill
# short gaps, a running median for what is left of spikes, then Savitzky-Golay. Chosen on a
# real video against independently trained models' points (benchmarks/README.md: video_loop
# and filter_choice).
DEFAULT_STEPS = (
    dict(type='ConfidenceCut', threshold=CONFIDENCE_CUT),
    dict(type='JumpRejection', max_jump=RELATIVE_JUMP, max_length=2),
    dict(type='InterpolateGaps', max_gap=5),
    dict(type='MedianFilter', window=5),
    dict(type='SavitzkyGolay', window=7, order=2),
)
# The frame rate DEFAULT_STEPS' windows and gap are counted at; default_steps scales them to
# a video's rate, so they span the same time.
DEFAULT_FPS = 30.0


def _runs(present: np.ndarray) -> List[slice]:
    """The slices of consecutive ``True`` values of a 1-D bool array."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], present.astype(np.int8), [0]])))
    return [slice(start, stop) for start, stop in zip(edges[::2], edges[1::2])]


def _per_run(sequence: PoseSequence, filter_run: Callable[[np.ndarray], np.ndarray],
             min_length: int) -> PoseSequence:
    """Apply ``filter_run`` ((L, 2) -> (L, 2)) to every run of at least ``min_length``
    present points of every trajectory."""
    keypoints = sequence.keypoints.copy()
    present = np.isfinite(keypoints).all(-1)
    for n in range(sequence.num_instances):
        for k in range(len(sequence.keypoint_names)):
            for run in _runs(present[:, n, k]):
                if run.stop - run.start >= min_length:
                    keypoints[run, n, k] = filter_run(keypoints[run, n, k])
    return sequence.with_points(keypoints)


def _check_window(window: int, name: str) -> None:
    if not isinstance(window, int) or window < 3 or window % 2 == 0:
        raise ValueError(f'{name}: window must be an odd integer >= 3, got {window!r}')


def _check_fits(window: int, name: str, sequence: PoseSequence) -> None:
    if window > sequence.num_frames:
        raise ValueError(f'{name}: window of {window} frames is longer than {sequence.source} '
                         f'({sequence.num_frames} frames); use a shorter window or no {name}')


@SEQUENCE_STEPS.register_module()
class ConfidenceCut:
    """Points scoring under ``threshold`` become missing (DeepLabCut's ``pcutoff``).

    Args:
        threshold (float): The cut, in the model's score units (heatmap peaks, 0-1).
    """

    def __init__(self, threshold: float):
        if not 0 <= threshold <= 1:
            raise ValueError(f'ConfidenceCut: threshold must be in [0, 1], got {threshold}')
        self.threshold = threshold

    def __call__(self, sequence: PoseSequence) -> PoseSequence:
        keypoints = sequence.keypoints.copy()
        keypoints[~(sequence.scores >= self.threshold)] = np.nan
        return sequence.with_points(keypoints)


@SEQUENCE_STEPS.register_module()
class JumpRejection:
    """A point that leaves its trajectory and comes back within ``max_length`` frames (a
    one- or two-frame spike, e.g. a swap to the other ear) becomes missing.

    A spike of length L at frames t..t+L-1: the point jumps more than ``max_jump`` from
    frame t-1 into it and from it to frame t+L, while frames t-1 and t+L lie within
    ``max_jump`` of each other.

    Args:
        max_jump (float): Largest plausible move between neighbouring frames: pixels when
            > 1, else a fraction of the frame's diagonal. Defaults to ``0.05``.
        max_length (int): Longest spike, in frames. Defaults to ``2``.
    """

    def __init__(self, max_jump: float = RELATIVE_JUMP, max_length: int = 2):
        if max_jump <= 0 or not isinstance(max_length, int) or max_length < 1:
            raise ValueError(f'JumpRejection: max_jump must be > 0 and max_length an integer '
                             f'>= 1, got {max_jump}, {max_length!r}')
        self.max_jump, self.max_length = max_jump, max_length

    def jump_pixels(self, sequence: PoseSequence) -> float:
        """``max_jump`` in pixels for this sequence's frames."""
        if self.max_jump > 1:
            return float(self.max_jump)
        if sequence.frame_size is None:
            raise ValueError(f'{sequence.source}: a relative max_jump needs the frame size')
        return float(self.max_jump * np.hypot(*sequence.frame_size))

    def __call__(self, sequence: PoseSequence) -> PoseSequence:
        jump = self.jump_pixels(sequence)
        points = sequence.keypoints
        spikes = np.zeros(points.shape[:3], dtype=bool)
        for length in range(1, self.max_length + 1):
            if len(points) < length + 2:
                break
            before, after = points[:-length - 1], points[length + 1:]
            first, last = points[1:len(points) - length], points[length:-1]
            leaves = np.linalg.norm(first - before, axis=-1) > jump
            returns = np.linalg.norm(after - last, axis=-1) > jump
            stays = np.linalg.norm(after - before, axis=-1) <= jump
            start = leaves & returns & stays  # NaN comparisons are False: gaps never match
            for offset in range(length):
                spikes[1 + offset:len(points) - length + offset] |= start
        keypoints = points.copy()
        keypoints[spikes] = np.nan
        return sequence.with_points(keypoints)


@SEQUENCE_STEPS.register_module()
class InterpolateGaps:
    """Fill gaps of at most ``max_gap`` missing frames inside a trajectory linearly; the
    filled points score the lower of the two points around the gap.

    Args:
        max_gap (int): Longest gap filled, in frames. Defaults to ``5``.
    """

    def __init__(self, max_gap: int = 5):
        if not isinstance(max_gap, int) or max_gap < 1:
            raise ValueError(f'InterpolateGaps: max_gap must be an integer >= 1, got '
                             f'{max_gap!r}')
        self.max_gap = max_gap

    def __call__(self, sequence: PoseSequence) -> PoseSequence:
        keypoints, scores = sequence.keypoints.copy(), sequence.scores.copy()
        present = np.isfinite(keypoints).all(-1)
        frames = np.arange(sequence.num_frames)
        for n in range(sequence.num_instances):
            for k in range(len(sequence.keypoint_names)):
                known = frames[present[:, n, k]]
                if len(known) < 2:
                    continue
                gaps = np.flatnonzero((np.diff(known) > 1) & (np.diff(known) <= self.max_gap + 1))
                for gap in gaps:
                    lo, hi = known[gap], known[gap + 1]
                    inside = np.arange(lo + 1, hi)
                    weight = ((inside - lo) / (hi - lo))[:, None]
                    keypoints[inside, n, k] = ((1 - weight) * keypoints[lo, n, k]
                                               + weight * keypoints[hi, n, k])
                    scores[inside, n, k] = np.fmin(scores[lo, n, k], scores[hi, n, k])
        return sequence.with_points(keypoints, scores)


@SEQUENCE_STEPS.register_module()
class MedianFilter:
    """A running median over ``window`` frames (``scipy.ndimage.median_filter``) on each run
    of present points (runs shorter than the window are left as they are).

    Args:
        window (int): Odd window length in frames. Defaults to ``5``.
    """

    def __init__(self, window: int = 5):
        _check_window(window, 'MedianFilter')
        self.window = window

    def __call__(self, sequence: PoseSequence) -> PoseSequence:
        _check_fits(self.window, 'MedianFilter', sequence)
        return _per_run(sequence, lambda run: median_filter(run, size=(self.window, 1),
                                                            mode='nearest'), self.window)


@SEQUENCE_STEPS.register_module()
class SavitzkyGolay:
    """A Savitzky-Golay filter (``scipy.signal.savgol_filter``) on each run of present
    points at least ``window`` long.

    Args:
        window (int): Odd window length in frames. Defaults to ``7``.
        order (int): Polynomial order, below ``window``. Defaults to ``2``.
    """

    def __init__(self, window: int = 7, order: int = 2):
        _check_window(window, 'SavitzkyGolay')
        if not 0 <= order < window:
            raise ValueError(f'SavitzkyGolay: order must be in [0, {window}), got {order}')
        self.window, self.order = window, order

    def __call__(self, sequence: PoseSequence) -> PoseSequence:
        _check_fits(self.window, 'SavitzkyGolay', sequence)
        return _per_run(sequence, lambda run: savgol_filter(run, self.window, self.order,
                                                            axis=0), self.window)


def _at_frame_rate(step: dict, scale: float) -> Optional[dict]:
    """``step`` with its window or gap scaled by ``scale`` and rounded, halves down (an even
    window down to odd; 29.97 frames/s keeps the 30 frames/s windows); ``None`` for a filter
    whose window became too short to smooth."""
    def scaled(frames: int) -> int:
        return int(frames * scale + 0.49)

    step = dict(step)
    if 'max_gap' in step:
        step['max_gap'] = max(1, scaled(step['max_gap']))
    if 'window' in step:
        window = scaled(step['window'])
        step['window'] = window - 1 + window % 2
        if step['window'] < max(3, step.get('order', 0) + 2):
            return None
    return step


def default_steps(sequence: PoseSequence) -> List[dict]:
    """:data:`DEFAULT_STEPS` for a video, with windows and gaps scaled from
    :data:`DEFAULT_FPS` to its frame rate (unchanged when the rate is unknown): at 60
    frames/s a 9-frame median and a 13-frame Savitzky-Golay; at 15 neither. For a folder of
    images (not necessarily consecutive frames) or a video shorter than a filter's window,
    only the steps that do not look along time (the confidence cut)."""
    temporal = ('JumpRejection', 'InterpolateGaps', 'MedianFilter', 'SavitzkyGolay')
    scale = sequence.fps / DEFAULT_FPS if sequence.fps else 1.0
    steps = [step for step in (_at_frame_rate(step, scale) for step in DEFAULT_STEPS) if step]
    if sequence.is_video and sequence.num_frames >= max(s.get('window', 0) for s in steps):
        return steps
    return [step for step in steps if step['type'] not in temporal]


def build_steps(steps: Optional[Iterable[StepConfig]]) -> List[Callable]:
    """Steps from config dicts (or callables, kept as they are); ``None`` is no step.

    Raises:
        KeyError: An unknown step type, naming the registered ones.
    """
    built = []
    for step in steps or ():
        if callable(step):
            built.append(step)
            continue
        step = dict(step)
        if step.get('type') not in SEQUENCE_STEPS:
            raise KeyError(f'unknown sequence step {step.get("type")!r}; choose from '
                           f'{sorted(SEQUENCE_STEPS.module_dict)}')
        built.append(SEQUENCE_STEPS.build(step))
    return built


def apply_steps(sequence: PoseSequence, steps: Optional[Iterable[StepConfig]]) -> PoseSequence:
    """``sequence`` through each step in order (the input is not changed)."""
    for step in build_steps(steps):
        sequence = step(sequence)
    return sequence


def parse_step(text: str) -> dict:
    """A step from the command line: ``Name`` or ``Name:key=value,key=value``.

    Raises:
        ValueError: A malformed option (naming it).
    """
    name, _, options = text.partition(':')
    step = dict(type=name.strip())
    for option in filter(None, options.split(',')):
        key, sep, value = option.partition('=')
        if not sep or not key.strip():
            raise ValueError(f'step {text!r}: options are key=value, got {option!r}')
        number = float(value)
        step[key.strip()] = int(number) if number.is_integer() and '.' not in value else number
    return step


def describe_steps(steps: Sequence[StepConfig]) -> str:
    """``ConfidenceCut(threshold=0.3) -> MedianFilter(window=5)``, for logs and files."""
    def one(step):
        if callable(step):
            return getattr(step, '__name__', type(step).__name__)
        options = ', '.join(f'{k}={v}' for k, v in step.items() if k != 'type')
        return f'{step["type"]}({options})'
    return ' -> '.join(one(step) for step in steps) or 'none'
