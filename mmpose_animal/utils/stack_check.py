"""Check, at import time, that the OpenMMLab stack is one that works with this package."""
from importlib import import_module, metadata
from typing import Callable, Dict, Optional, Tuple

from packaging.version import Version

# package -> (lowest version, first version that is too new or None): the ranges of
# requirements/runtime.txt (a test keeps them equal); the tested pins are in constraints.txt
SUPPORTED_VERSIONS: Dict[str, Tuple[str, Optional[str]]] = {
    'torch': ('2.5', None),
    'mmengine': ('0.10.0', '1.0.0'),
    'mmcv': ('2.0.0', '2.2.0'),
    'mmdet': ('3.0.0', '3.4.0'),
    'mmpose': ('1.1.0', '1.4.0'),
}
INSTALL_HINT = ('Run `make install` in the mmpose-animal checkout, or see the README section '
                '"Install" (mmcv must be built from source with ops: MMCV_WITH_OPS=1 pip install '
                '--no-build-isolation mmcv==2.1.0).')


class StackError(ImportError):
    """The installed OpenMMLab stack cannot run mmpose-animal."""


def _spec(package: str) -> str:
    low, high = SUPPORTED_VERSIONS[package]
    return f'{package}>={low}' + (f',<{high}' if high else '')


def check_versions(get_version: Callable[[str], str] = metadata.version) -> None:
    """Raise :class:`StackError` naming every package that is missing or out of range.

    Args:
        get_version (Callable[[str], str]): Maps a distribution name to its installed version
            and raises ``PackageNotFoundError`` when it is absent. Defaults to
            ``importlib.metadata.version``.
    """
    problems = []
    for package, (low, high) in SUPPORTED_VERSIONS.items():
        try:
            installed = get_version(package)
        except metadata.PackageNotFoundError:
            problems.append(f'{package} is not installed; install "{_spec(package)}"')
            continue
        version = Version(installed)
        if version < Version(low) or (high is not None and version >= Version(high)):
            problems.append(f'{package} {installed} is installed; install "{_spec(package)}"')
    if problems:
        raise StackError('mmpose-animal cannot run on this stack:\n  - ' +
                         '\n  - '.join(problems) + '\n' + INSTALL_HINT)


def check_mmcv_ops() -> None:
    """Raise :class:`StackError` unless mmcv's compiled ops import (mmpose needs them)."""
    try:
        import_module('mmcv.ops')
    except (ImportError, OSError) as error:
        raise StackError(f'mmcv.ops does not import ({error}). mmpose 1.3 needs mmcv built '
                         f'with ops, not mmcv-lite or a wheel built for another torch. '
                         f'{INSTALL_HINT}') from error


def check_stack() -> None:
    """Check the versions of torch, mmengine, mmcv, mmdet and mmpose, and mmcv's ops."""
    check_versions()
    check_mmcv_ops()
