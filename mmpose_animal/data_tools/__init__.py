"""Data generators and converters (the logic behind tools/make_synthetic_data.py and
tools/dataset_converters/)."""
from .fly32_to_fly17 import convert_fly32_to_fly17, select_fly17
from .fly17_skeleton import FLY32_NAMES, fly17_names, fly17_skeleton, fly32_to_fly17_indices
from .petnose_to_coco import convert_petnose_to_coco
from .synthetic_fly import make_synthetic_fly17, render_fly
from .synthetic_petnose import make_synthetic_petnose, render_pet

__all__ = ['FLY32_NAMES', 'convert_fly32_to_fly17', 'convert_petnose_to_coco',
           'fly17_names', 'fly17_skeleton', 'fly32_to_fly17_indices', 'make_synthetic_fly17',
           'make_synthetic_petnose', 'render_fly', 'render_pet', 'select_fly17']
