"""mmpose-animal: UNet heatmap heads, animal datasets and tools for mmpose 1.x.

Importing the package checks the OpenMMLab stack and registers every module into mmpose's
registries (default scope ``mmpose``).
"""
from .version import __version__
from .utils.stack_check import check_stack

check_stack()

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registration)

__all__ = ['__version__', 'check_stack']
