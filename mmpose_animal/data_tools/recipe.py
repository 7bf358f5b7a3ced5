"""The UNet top-down recipe's data pipelines, built in one place.

The packaged base config (``mmpose_animal::_base_/unet_topdown.py``) holds what
:func:`training_pipeline` and :func:`evaluation_pipeline` return for its codec and defaults
(a test checks it), and ``make_config`` writes what they return for a dataset: generated
configs differ from the base only in what they state.
"""
import inspect
from typing import List, Optional, Sequence

from mmpose.datasets.transforms import PackPoseInputs

# Random crop jitter around the box: shift by up to 10 % of its size, scale by 0.75-1.25
SHIFT_FACTOR = 0.1
SCALE_FACTOR = (0.75, 1.25)
# brightness and contrast (saturation and hue leave grayscale frames unchanged)
PHOTOMETRIC = dict(type='PhotometricDistortion', brightness_delta=24, contrast_range=(0.7, 1.3))
ORIGINAL_IMAGE = 'ori_img'  # a crop-based model crops the loaded image again at test time
PACK_KEYS = inspect.signature(PackPoseInputs).parameters['meta_keys'].default


def _affine(codec: dict) -> dict:
    udp = codec['type'] == 'UDPHeatmap'
    return dict(type='TopdownAffine', input_size=tuple(codec['input_size']),
                **(dict(use_udp=True) if udp else {}))


def training_pipeline(codec: dict, rotate: float, padding: float = 1.0, flip: bool = True,
                      crop_box: Optional[dict] = None,
                      extra_meta: Sequence[str] = ()) -> List[dict]:
    """The training pipeline: load, (box around the keypoints,) pad, flip, jitter the box,
    crop, photometric noise, targets.

    Args:
        codec (dict): The codec config (its input size; UDP crops with ``use_udp``).
        rotate (float): Random rotation range in degrees (always applied).
        padding (float): Box padding of ``GetBBoxCenterScale``. Defaults to ``1.0``.
        flip (bool): Random horizontal flips (needs left / right pairs where sides are
            named). Defaults to ``True``.
        crop_box (dict, optional): ``KeypointBBox`` options (``min_size``,
            ``whole_image_prob``): train on crops around the labelled keypoints (and whole
            frames) instead of the given boxes.
        extra_meta (Sequence[str]): More sample keys to pack (e.g. ``track_id`` for an
            identity classifier). Defaults to none.

    Returns:
        list[dict]: The transforms.
    """
    return [dict(type='LoadImage'),
            *([dict(type='KeypointBBox', **crop_box)] if crop_box else []),
            dict(type='GetBBoxCenterScale', padding=padding),
            *([dict(type='RandomFlip', direction='horizontal')] if flip else []),
            dict(type='RandomBBoxTransform', shift_factor=SHIFT_FACTOR, shift_prob=0.5,
                 scale_factor=SCALE_FACTOR, rotate_factor=float(rotate), rotate_prob=1.0),
            _affine(codec),
            dict(PHOTOMETRIC),
            dict(type='GenerateTarget', encoder=dict(codec), use_dataset_keypoint_weights=True),
            dict(type='PackPoseInputs', meta_keys=tuple(PACK_KEYS) + tuple(extra_meta))
            if extra_meta else dict(type='PackPoseInputs')]


def evaluation_pipeline(codec: dict, padding: float = 1.0,
                        keep_original: bool = False) -> List[dict]:
    """The validation and test pipeline: load, pad the box, crop, pack.

    Args:
        codec (dict): The codec config.
        padding (float): Box padding of ``GetBBoxCenterScale``. Defaults to ``1.0``.
        keep_original (bool): Keep the loaded image for a crop-based model's second pass
            (``KeepOriginalImage``, packed as ``ori_img``). Defaults to ``False``.
    """
    pack = (dict(type='PackPoseInputs', meta_keys=tuple(PACK_KEYS) + (ORIGINAL_IMAGE,))
            if keep_original else dict(type='PackPoseInputs'))
    return [dict(type='LoadImage'),
            dict(type='GetBBoxCenterScale', padding=padding),
            *([dict(type='KeepOriginalImage')] if keep_original else []),
            _affine(codec),
            pack]
