"""mmpose-animal: UNet heatmap heads, animal datasets and tools for mmpose 1.x.

Importing the package checks the OpenMMLab stack and registers every module into mmpose's
registries (default scope ``mmpose``).
"""
from .utils.quiet_logs import quiet_pkg_resources_warning

quiet_pkg_resources_warning()  # before mmengine is imported

from .version import __version__  # noqa: E402
from .utils.stack_check import check_stack  # noqa: E402

check_stack()

from . import datasets, engine, evaluation, models, registry  # noqa: E402,F401  (registration)

__all__ = ['__version__', 'check_stack']
