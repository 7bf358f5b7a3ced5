"""Import the libraries of optional features, naming the extra that installs them."""
from importlib import import_module
from types import ModuleType

# extra -> what it is for (the extras themselves are declared in setup.py)
EXTRAS = {
    'labels': 'label import, prediction export (DeepLabCut, SLEAP, DeepPoseKit, NWB, '
              'Lightning Pose) and identity metrics',
    'onnx': 'ONNX export and onnxruntime inference',
    'timm': 'timm encoders under the UNet head (TimmEncoder)',
}


def require(module: str, extra: str) -> ModuleType:
    """Import ``module``, or say which extra of mmpose-animal installs it.

    Args:
        module (str): The module to import, e.g. ``'sleap_io'``.
        extra (str): The extra that provides it, one of :data:`EXTRAS`.

    Returns:
        ModuleType: The imported module.

    Raises:
        ImportError: ``module`` is not installed; the message names the extra and its use.
    """
    try:
        return import_module(module)
    except ImportError as error:
        raise ImportError(
            f'{module} is not installed; it is needed for {EXTRAS[extra]}. Install it with '
            f'pip install "mmpose-animal[{extra}]" (or `make install`, which installs every '
            f'extra)') from error
