"""Write a ready training config for a dataset folder made by the label importer.

The config is data: what differs from the packaged recipe (``mmpose_animal::_base_/
unet_topdown.py``) is built as dicts (the pipelines by :mod:`.recipe`, as the base's own) and
written through mmengine's ``Config``, section by section with the comments a user needs.
"""
import json
import math
import os.path as osp
import re
import textwrap
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config
from mmpose.datasets.datasets.utils import parse_pose_metainfo

from .recipe import evaluation_pipeline, training_pipeline

BASE_CONFIG = 'mmpose_animal::_base_/unet_topdown.py'
# the UNet encoder's deepest level has stride 32: inputs are multiples of it
INPUT_MULTIPLE = 32
# heatmaps at 1/4 or 1/2 of the input (the decoder climbs from stride 32 back to it)
OUTPUT_STRIDES = (4, 2)
CODECS = ('MSRA', 'DARK', 'UDP')

# Crop-based top-down (CropTopdownPoseEstimator): chosen when the padded keypoints of the
# labelled animal span less than CROP_BELOW of the frame's long side (benchmarks/README.md).
CROP_MODES = ('auto', 'on', 'off')
CROP_BELOW = 0.4
CROP_PADDING = 1.25
WHOLE_FRAME_SHARE = 0.25  # training samples on the whole frame: the coarse stage
CROP_LONG_SIDES = (64, 256)  # bounds of the crops' input long side (about the crop's size)
# each schedule: at least min_iters iterations, within the epochs' bounds. In order: one
# animal's whole frames; its crops (~1,800 iterations lost to ~3,600 in all ten folds of two
# real sets); several animals, a box each (~900 lost to ~1,800 with both seeds on the real
# two-fly video). benchmarks/README.md has the runs.
SCHEDULE = dict(min_iters=3000, min_epochs=30, max_epochs=300)
CROP_SCHEDULE = dict(min_iters=3600, min_epochs=30, max_epochs=600)
SEVERAL_SCHEDULE = dict(min_iters=1800, min_epochs=30, max_epochs=300)
# the animal's extent is measured on the instances with the most labelled keypoints: at
# least this share of them, and this many
COMPLETE_SHARE, COMPLETE_LEAST = 0.1, 5
# Weight averaging (mmengine's EMAHook, ExpMomentumEMA as in RTMPose): the averaged weights
# are validated, saved and tested. The window is a share of the run, whatever its length.
EMA_WINDOW_SHARE = 0.05  # the average's final window: this share of the iterations
EMA_WARMUP_SHARE = 0.02  # its momentum decays to that window over this share (RTMPose: 2 %)
# a keypoint labelled in fewer of the training frames than this is reported as rare
RARE_SHARE = 0.5
SIDE_LETTER = re.compile(r'(^|[^A-Z])[LR]([A-Z0-9_]|$)')
SIDE_WORD = re.compile(r'left|right', re.IGNORECASE)


@dataclass
class LabelStats:
    """What make_config reads off the training labels.

    Args:
        num_annotations (int): Labelled instances.
        box (Tuple[float, float]): Median (w, h) of the annotations' boxes.
        whole_image (bool): Every box is its whole frame (one animal per frame).
        extent (float): Median long side of the labelled keypoints' extent (px), over the
            instances with the most labelled keypoints (a rarely labelled part does not
            shrink it).
        fill (float): Median ratio of that extent to the frame's long side.
        large_extent (float): The 90th percentile of those extents (a several-animal
            model's crop holds nearly every animal whole).
        labelled_share (np.ndarray): (K,) share of the instances labelling each keypoint.
        max_per_frame (int): The most labelled animals of one frame.
    """

    num_annotations: int
    box: Tuple[float, float]
    whole_image: bool
    extent: float
    fill: float
    large_extent: float
    labelled_share: np.ndarray
    max_per_frame: int


def most_complete(counts: np.ndarray) -> np.ndarray:
    """(A,) bool: the instances with the most labelled keypoints, as many as
    :data:`COMPLETE_SHARE` of them (at least :data:`COMPLETE_LEAST`) allow: a part labelled
    in a fifth of the frames still sets the animal's extent, where a median over every
    instance would measure the animal without it (the head of a mouse without its tail)."""
    enough = min(len(counts), max(COMPLETE_LEAST, math.ceil(COMPLETE_SHARE * len(counts))))
    for least in range(int(counts.max()), 0, -1):
        if (counts >= least).sum() >= enough:
            return counts >= least
    return counts > 0


def label_stats(coco: dict) -> LabelStats:
    """The :class:`LabelStats` of a COCO keypoint dict (the training split)."""
    annotations = coco['annotations']
    long_side = {image['id']: max(image['width'], image['height']) for image in coco['images']}
    points = np.array([a['keypoints'] for a in annotations], np.float64).reshape(
        len(annotations), -1, 3)
    labelled = points[..., 2] > 0
    counts = labelled.sum(1)
    complete = most_complete(counts)
    extents, fills = [], []
    for index in np.flatnonzero(complete & (counts > 0)):
        xy = points[index, labelled[index], :2]
        extents.append(float((xy.max(0) - xy.min(0)).max()))
        fills.append(extents[-1] / long_side[annotations[index]['image_id']])
    boxes = np.array([a['bbox'] for a in annotations], np.float64)
    return LabelStats(
        num_annotations=len(annotations),
        box=(float(np.median(boxes[:, 2])), float(np.median(boxes[:, 3]))),
        whole_image=all(a['bbox'][:2] == [0.0, 0.0] for a in annotations),
        extent=float(np.median(extents)), fill=float(np.median(fills)),
        large_extent=float(np.percentile(extents, 90)),
        labelled_share=labelled.mean(0),
        max_per_frame=int(np.bincount([a['image_id'] for a in annotations]).max()))


def _round_to(value: float, multiple: int) -> int:
    return max(multiple, int(round(value / multiple)) * multiple)


def input_size_for(box_w: float, box_h: float, long_side: int) -> Tuple[int, int]:
    """(W, H) with the box's aspect ratio, the long side ``long_side``, multiples of 32."""
    scale = long_side / max(box_w, box_h)
    return _round_to(box_w * scale, INPUT_MULTIPLE), _round_to(box_h * scale, INPUT_MULTIPLE)


def schedule_for(num_train: int, batch_size: int, *, min_iters: int, min_epochs: int,
                 max_epochs: int) -> int:
    """Epochs for at least ``min_iters`` iterations, within [min_epochs, max_epochs] (the
    bounds: one of :data:`SCHEDULE`, :data:`CROP_SCHEDULE`, :data:`SEVERAL_SCHEDULE`)."""
    iters_per_epoch = max(1, math.ceil(num_train / batch_size))
    return int(min(max_epochs, max(min_epochs, math.ceil(min_iters / iters_per_epoch))))


def validation_interval(epochs: int) -> int:
    """Epochs between validations: about 30 validations per run."""
    return max(1, epochs // 30)


def unpaired_sides(names: Sequence[str], flip_indices: Sequence[int]) -> List[str]:
    """Names that say a side (``left`` / ``right``, or an upper-case ``L`` / ``R`` standing
    alone in a name: ``paw1LH``, ``earL``, ``forelegR1``, ``L_paw``) but have no flip partner:
    flipping the image would put them on the wrong side."""
    return [name for k, name in enumerate(names)
            if flip_indices[k] == k and (SIDE_LETTER.search(name) or SIDE_WORD.search(name))]


def make_config(data_root: str, out_file: Optional[str] = None, long_side: Optional[int] = None,
                base_channels: int = 8, batch_size: int = 16, lr: float = 2e-3,
                max_epochs: Optional[int] = None, rotate: Optional[float] = None, sigma: float = 2.0,
                codec: str = 'UDP', flip_test: Optional[bool] = None,
                output_stride: int = 4, load_from: Optional[str] = None,
                freeze_epochs: int = 0, crop: str = 'auto', ema: bool = True,
                absent_weight: Optional[float] = None,
                num_animals: Optional[int] = None) -> str:
    """The training config of an imported dataset, as text.

    Args:
        data_root (str): Folder written by the importer (``annotations/``, ``metainfo.py``).
        out_file (str, optional): Where the config will live (named in its comments).
        long_side (int, optional): Input size of the long box side, in pixels. Defaults to
            ``256`` on whole frames; on crops, about the padded crop's size in frame pixels
            (a multiple of 32 in [64, 256]).
        base_channels (int): Channels of the encoder's first level (the decoder has 16x,
            8x and 4x as many). Defaults to ``8``.
        batch_size (int): Training batch size. Defaults to ``16``.
        lr (float): Peak learning rate (Adam). Defaults to ``2e-3``.
        max_epochs (int, optional): Epochs; by default enough for ~3,000 iterations on one
            animal's whole frames (30-300 epochs), ~3,600 on its crops (30-600 epochs), ~1,800
            with several animals (30-300 epochs).
            :func:`~.budget_schedule.make_config_for_minutes` fits them to a time budget.
        rotate (float, optional): Random rotation range in degrees. Defaults to 30 when the
            boxes are whole frames (larger turns push the animal out of the crop), 180 when
            the boxes are around the animal (any heading).
        sigma (float): Gaussian sigma of the heatmap targets. Defaults to ``2``.
        codec (str): ``'UDP'`` (``UDPHeatmap``: sub-pixel targets, the unbiased crop of
            ``TopdownAffine(use_udp=True)``, DARK-style refinement), ``'MSRA'`` (targets
            on the heatmap grid, argmax + quarter-pixel shift) or ``'DARK'`` (MSRA's codec
            with ``unbiased=True``). Defaults to ``'UDP'``.
        flip_test (bool, optional): Average with the flipped image at test time. Defaults to
            on (crop-based models too: cross-validated on two real sets it was better in
            every fold, for twice the network time), off for several animals and when
            flipping is not safe (see below).
        output_stride (int): Input pixels per heatmap pixel, 4 or 2 (one more decoder
            block). Defaults to ``4``.
        load_from (str, optional): Start from this checkpoint of a model with the same
            encoder and decoder widths (e.g. a synthetic pre-training or another dataset);
            the final layer starts fresh when K differs. Defaults to ``None`` (scratch).
        freeze_epochs (int): With ``load_from``, keep the encoder fixed for this many first
            epochs (``FreezeBackboneHook``). Defaults to ``0``.
        crop (str): ``'on'``: a ``CropTopdownPoseEstimator`` trained on crops around the
            labelled keypoints (padded, jittered) and on whole frames (a quarter of the
            samples), evaluated with boxes it finds itself; ``'off'``: the whole frame (or
            the imported box) is the input; ``'auto'``: on when the padded animal spans less
            than 0.4 of the frame's long side (:data:`CROP_BELOW`). Defaults to ``'auto'``.
            Labels with several animals in a frame get a ``MultiAnimalPoseEstimator``
            (``'auto'``: it finds every animal and its keypoints itself) or, with ``'off'``,
            a model of the imported boxes, whose animals a detector must find.
        ema (bool): Validate, save and test an exponential moving average of the weights
            (``EMAHook`` with ``ExpMomentumEMA``; its final window is 5 % of the
            iterations). Defaults to ``True``.
        absent_weight (float, optional): Target weight of keypoints without a label or
            outside the input (``AbsentKeypointWeights``): trained to have no peak there.
            Defaults to ``None`` (mmpose's rule: not trained), and 1 for several animals
            (another animal in a crop is "not this one").
        num_animals (int, optional): The most animals a several-animal model finds in a
            frame. Defaults to the most labelled in a training frame.

    Flipping (augmentation and flip test) is off when keypoint names say a side (``left``,
    ``paw1LH``) but the metainfo pairs them with nothing: a flipped image would teach the
    wrong side. ``import_labels.py --flip-pairs`` declares the pairs.

    Returns:
        str: The config text.

    Raises:
        FileNotFoundError: The folder lacks ``metainfo.py`` or ``annotations/train.json``,
            or ``load_from`` does not exist.
        ValueError: A bad ``output_stride``, ``codec``, ``crop`` or ``freeze_epochs``, or
            ``crop='on'`` with several animals per frame.
    """
    if output_stride not in OUTPUT_STRIDES:
        raise ValueError(f'output_stride must be one of {OUTPUT_STRIDES}, got {output_stride}')
    if codec not in CODECS:
        raise ValueError(f'codec must be one of {CODECS}, got {codec!r}')
    if crop not in CROP_MODES:
        raise ValueError(f'crop must be one of {CROP_MODES}, got {crop!r}')
    data_root = osp.abspath(data_root)
    metainfo = osp.join(data_root, 'metainfo.py')
    train_json = osp.join(data_root, 'annotations', 'train.json')
    for path in (metainfo, train_json):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} does not exist; make the folder with '
                                    f'tools/dataset_converters/import_labels.py')
    if load_from is not None and not osp.isfile(load_from):
        raise FileNotFoundError(f'load_from {load_from} does not exist')
    meta = parse_pose_metainfo(dict(from_file=metainfo))
    with open(train_json) as file:
        stats = label_stats(json.load(file))
    several = stats.max_per_frame > 1 and crop != 'off'
    if num_animals is not None and (not several or num_animals < 1):
        raise ValueError(f'num_animals={num_animals!r}: needs labels with several animals in a '
                         f'frame ({train_json} has at most {stats.max_per_frame}) and >= 1')
    if crop == 'on' and not stats.whole_image and not several:
        raise ValueError(f'{train_json}: crop=on needs one animal per frame with the whole '
                         f'frame as its box (import with --bbox image); these boxes are '
                         f'around each animal already')
    cropped = several or stats.whole_image and (crop == 'on' or (
        crop == 'auto' and stats.fill * CROP_PADDING < CROP_BELOW))
    if several and absent_weight is None:
        absent_weight = 1.0
    schedule = SEVERAL_SCHEDULE if several else CROP_SCHEDULE if cropped else SCHEDULE
    epochs = max_epochs or schedule_for(stats.num_annotations, batch_size, **schedule)
    if not isinstance(freeze_epochs, int) or not 0 <= freeze_epochs < epochs:
        raise ValueError(f'freeze_epochs must be an integer in [0, {epochs}) (the epochs), '
                         f'got {freeze_epochs!r}')
    if freeze_epochs and load_from is None:
        raise ValueError('freeze_epochs needs load_from: a frozen encoder that was never '
                         'trained learns nothing')
    names = [meta['keypoint_id2name'][k] for k in range(meta['num_keypoints'])]
    unflippable = unpaired_sides(names, meta['flip_indices'])
    animal = stats.large_extent if several else stats.extent
    box_w, box_h = ((animal * CROP_PADDING,) * 2 if cropped else stats.box)
    if cropped:
        long_side = long_side or int(np.clip(_round_to(box_w, INPUT_MULTIPLE), *CROP_LONG_SIDES))
    in_w, in_h = input_size_for(box_w, box_h, long_side or 256)
    codec_cfg = dict(type='UDPHeatmap' if codec == 'UDP' else 'MSRAHeatmap',
                     input_size=(in_w, in_h),
                     heatmap_size=(in_w // output_stride, in_h // output_stride), sigma=sigma,
                     **(dict(unbiased=True) if codec == 'DARK' else {}))
    flip = not unflippable
    sections = _sections(
        data_root=data_root, metainfo=metainfo, codec=codec_cfg, cropped=cropped, stats=stats,
        epochs=epochs, batch_size=batch_size, lr=lr, base_channels=base_channels,
        output_stride=output_stride, load_from=load_from, freeze_epochs=freeze_epochs,
        ema=ema, flip=flip,
        flip_test=(flip if flip_test is None else flip_test) and not several,
        rotate=rotate if rotate is not None else (30.0 if stats.whole_image and not cropped
                                                  else 180.0),
        absent_weight=absent_weight, num_keypoints=len(names),
        num_animals=(num_animals or stats.max_per_frame) if several else None,
        meta_tracks=Config.fromfile(metainfo).dataset_info.get('track_names') or [])
    notes = _notes(data_root, out_file, names, stats, cropped, codec_cfg, load_from,
                   unflippable, (box_w, box_h),
                   (num_animals or stats.max_per_frame) if several else None)
    return render(notes, sections)


def _sections(data_root: str, metainfo: str, codec: dict, cropped: bool, stats: LabelStats,
              epochs: int, batch_size: int, lr: float, base_channels: int,
              output_stride: int, load_from: Optional[str], freeze_epochs: int, ema: bool,
              flip: bool, flip_test: bool, rotate: float, absent_weight: Optional[float],
              num_keypoints: int, num_animals: Optional[int],
              meta_tracks: Sequence[str]) -> List[Tuple[str, dict]]:
    """The config's sections: (comment, overrides of the base)."""
    iters_per_epoch = math.ceil(stats.num_annotations / batch_size)
    iters = epochs * iters_per_epoch
    val_interval = validation_interval(epochs)
    hooks = dict(logger=dict(interval=10), checkpoint=dict(interval=val_interval))
    if freeze_epochs:
        hooks['freeze_backbone'] = dict(type='FreezeBackboneHook', epochs=freeze_epochs)
    runtime = dict(
        train_cfg=dict(max_epochs=epochs, val_interval=val_interval),
        optim_wrapper=dict(optimizer=dict(lr=lr)),
        param_scheduler=[
            dict(type='LinearLR', begin=0, end=1 if iters_per_epoch > 1 else 2,
                 start_factor=0.01, by_epoch=True, convert_to_iter_based=True),
            dict(type='CosineAnnealingLR', begin=0, end=epochs, T_max=epochs,
                 eta_min=lr / 100, by_epoch=True, convert_to_iter_based=True)],
        auto_scale_lr=dict(base_batch_size=batch_size),
        load_from=load_from and osp.abspath(load_from),
        default_hooks=hooks)
    if ema:
        runtime['custom_hooks'] = [dict(
            type='EMAHook', ema_type='ExpMomentumEMA',
            momentum=float(f'{min(0.5, 1 / (EMA_WINDOW_SHARE * iters)):.4g}'),
            gamma=float(f'{max(1.0, EMA_WARMUP_SHARE * iters):.4g}'), update_buffers=True,
            priority=49)]
    channels = tuple(base_channels * 2**i for i in range(6))
    num_blocks = int(math.log2(INPUT_MULTIPLE // output_stride))  # one per x2 upsampling
    model = dict(backbone=dict(base_channels=base_channels),
                 head=dict(in_channels=channels,
                           out_channels=num_keypoints + (1 if num_animals else 0),
                           decoder_channels=tuple(base_channels * 2**(4 - i)
                                                  for i in range(num_blocks)),
                           decoder=codec),
                 test_cfg=dict(flip_test=flip_test))
    crop_box = None
    if cropped:
        # a crop found at test time is at least the animal's usual size, and its points lie
        # within twice that of the anchor point (a rough first pass still yields a crop
        # that holds a stretched animal, a stray point cannot stretch it); the training
        # crops are as large: around the labelled points, at least that size (a rarely
        # labelled part missing from a frame does not zoom its crop in). Several animals:
        # every crop is one square around an animal's middle, large enough for nearly
        # every animal whole
        size = round(stats.large_extent if num_animals else stats.extent, 1)
        model = dict(type='MultiAnimalPoseEstimator' if num_animals else
                     'CropTopdownPoseEstimator',
                     crop=dict(padding=CROP_PADDING, min_size=size,
                               max_size=round(2 * stats.extent, 1), refine_below=0.5,
                               use_udp=codec['type'] == 'UDPHeatmap'), **model)
        if num_animals:
            model['num_animals'] = num_animals
        crop_box = dict(min_size=size, whole_image_prob=WHOLE_FRAME_SHARE,
                        **(dict(fixed_size=True) if num_animals else {}))
    padding = CROP_PADDING if cropped or not stats.whole_image else 1.0
    identities = len(meta_tracks) if num_animals else 0
    if identities:  # labels that name each animal: learn who is who by appearance too
        model['num_identities'] = identities
    train = training_pipeline(codec, rotate, padding, flip, crop_box,
                              ('track_id', 'whole_image_box') if identities else ())
    if absent_weight is not None:
        train.insert(-1, dict(type='AbsentKeypointWeights', weight=absent_weight))
    if num_animals:
        train.insert(-1, dict(type='AnimalCentreTarget', encoder=codec))
    test = evaluation_pipeline(codec, padding, keep_original=cropped)
    evaluation = dict(whole_image_boxes=True) if cropped else {}
    metainfo_cfg = dict(from_file=metainfo)

    def loader(pipeline: list, **dataset) -> dict:
        return dict(batch_size=batch_size, dataset=dict(
            data_root=data_root, metainfo=metainfo_cfg, pipeline=pipeline, **dataset))
    data = dict(data_root=data_root, metainfo=metainfo_cfg, train_pipeline=train,
                val_pipeline=test, train_dataloader=loader(train),
                val_dataloader=loader(test, **evaluation),
                test_dataloader=loader(test, **evaluation))
    return [('runtime: warm-up over the first epoch (2 iterations at least), then cosine',
             runtime),
            ('the codec: one config for the targets (GenerateTarget) and for decoding',
             dict(codec=codec, model=model)),
            ('data' + ('; evaluation finds the animal itself (never reads the labels\' '
                       'boxes)' if cropped else ''), data)]


def _notes(data_root: str, out_file: Optional[str], names: List[str], stats: LabelStats,
           cropped: bool, codec: dict, load_from: Optional[str], unflippable: List[str],
           box: Tuple[float, float], num_animals: Optional[int]) -> List[str]:
    """The comment lines at the top of the config."""
    in_w, in_h = codec['input_size']
    notes = [f'Generated by tools/make_config.py for {data_root}',
             f'{len(names)} keypoints; boxes of about {int(box[0])}x{int(box[1])} px -> '
             f'input {in_w}x{in_h}, heatmaps {codec["heatmap_size"][0]}x'
             f'{codec["heatmap_size"][1]}.',
             f'Pure UNet (UNetEncoder + UNetHeatmapHead), '
             f'{"from " + osp.basename(load_from) if load_from else "from scratch"}.']
    if num_animals:
        notes.append(
            f'Several animals (up to {num_animals} a frame): the model finds every animal '
            f'itself, no detector needed. A whole-frame pass marks each animal\'s centre (the '
            f'last heatmap channel), a crop around each centre gives its keypoints.')
    elif cropped:
        notes.append(
            f'Crop-based: the labelled animal spans {stats.fill:.0%} of the frame\'s long side '
            f'(keypoints, median), so the model trains on crops around it and on whole frames '
            f'and finds the animal itself: a whole-frame pass, then a crop around what it '
            f'found; keypoint by keypoint, where the crop fails (scores under half the whole '
            f'frame\'s, or under it for a part the crop\'s box left out: unsure or far from '
            f'the rest), the whole frame\'s answer stays.')
    elif stats.max_per_frame > 1:
        notes.append('Several animals in the imported boxes: a detector must find them at '
                     'inference (tools/infer.py --det-config ...).')
    never = [n for n, share in zip(names, stats.labelled_share) if share == 0]
    rare = [f'{n} ({share:.0%})' for n, share in zip(names, stats.labelled_share)
            if 0 < share < RARE_SHARE]
    if never:
        notes.append(f'WARNING: keypoint(s) {", ".join(never)} are labelled in no training '
                     f'frame and will never be learned.')
    if rare:
        notes.append(f'Rarely labelled (share of training frames): {", ".join(rare)}.')
    if unflippable:
        notes.append(f'No flipping: {", ".join(unflippable)} name a side but have no left / '
                     f'right partner (import_labels.py --flip-pairs declares them).')
    notes += [f'Train with  python tools/train.py {out_file or "CONFIG"}',
              'Test the last checkpoint (the averaged weights): benchmarks/README.md (cv) '
              'measured it against the best-by-validation one.',
              f'The recipe (model, hooks, optimizer, evaluators) is {BASE_CONFIG};',
              'this file states what differs: data, metainfo, input size and codec, schedule.']
    return notes


def render(notes: Sequence[str], sections: Sequence[Tuple[str, Dict]]) -> str:
    """Config text: the notes as comments, ``_base_`` and ``custom_imports``, then each
    section under its comment, formatted by mmengine's ``Config``."""
    lines = []
    for note in notes:
        lines += textwrap.wrap(note, 96, initial_indent='# ', subsequent_indent='#   ')
    head = Config(dict(_base_=[BASE_CONFIG], custom_imports=dict(
        imports=['mmpose_animal'], allow_failed_imports=False))).pretty_text
    parts = ['\n'.join(lines), head.rstrip()]
    for comment, values in sections:
        parts.append(f'# {comment}\n' + Config(values).pretty_text.rstrip())
    return '\n\n'.join(parts) + '\n'
