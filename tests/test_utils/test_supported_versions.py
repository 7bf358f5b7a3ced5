"""Versions: ranges once (requirements/runtime.txt, = the import check), tested pins once
(requirements/constraints.txt, = the table of docs/install.md); install.sh repeats neither."""
import os.path as osp
import re

import pytest
from packaging.version import Version

from mmpose_animal.utils.stack_check import SUPPORTED_VERSIONS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def read(*parts: str) -> str:
    with open(osp.join(ROOT, *parts)) as file:
        return file.read()


def pins() -> dict:
    """package -> version of every ``package==version`` line of the constraints file."""
    text = read('requirements', 'constraints.txt')
    return dict(re.findall(r'^([\w-]+)==([\w.+]+)$', text, flags=re.M))


@pytest.mark.parametrize('package', sorted(SUPPORTED_VERSIONS))
def test_install_requires_states_the_range_the_import_check_accepts(package):
    low, high = SUPPORTED_VERSIONS[package]
    spec = f'{package}>={low}' + (f',<{high}' if high else '')
    assert spec in read('requirements', 'runtime.txt').splitlines()


def install_table_row(package: str) -> str:
    """The version cell of ``package``'s row in the pinned-stack table of docs/install.md."""
    match = re.search(rf'^\| [^|]*\b{re.escape(package)}\b[^|]* \| ([^|]+) \|',
                      read('docs', 'install.md'), flags=re.M)
    assert match, f'docs/install.md has no row for {package}'
    return match.group(1)


@pytest.mark.parametrize('package', sorted(SUPPORTED_VERSIONS))
def test_pins_lie_in_the_range_the_import_check_accepts(package):
    low, high = SUPPORTED_VERSIONS[package]
    pinned = Version(pins()[package])
    assert pinned >= Version(low) and (high is None or pinned < Version(high)), (
        f'requirements pin {package}=={pinned}, stack_check accepts [{low}, {high})')


@pytest.mark.parametrize('package', ['torch', 'torchvision', 'mmengine', 'mmcv', 'mmdet',
                                     'mmpose', 'xtcocotools'])
def test_install_table_shows_the_pins(package):
    row = install_table_row(package)
    version = pins()[package]
    if package in ('torch', 'torchvision'):  # one row: "2.14.1, 0.29.1 (aarch64: ...)"
        assert version in row.split('(')[0], f'docs/install.md says {row!r}, requirements pin {version}'
    else:
        assert row.startswith(version), f'docs/install.md says {row!r}, requirements pin {version}'


def test_install_table_numpy_range_is_the_requirement():
    required = re.search(r'^numpy(.*)$', read('requirements', 'runtime.txt'), re.M).group(1)
    assert install_table_row('numpy').replace(' ', '') == required.replace(' ', '')


def test_install_script_reads_the_pins_instead_of_repeating_them():
    script = read('tools', 'install.sh')
    for package in ('mmengine', 'mmcv', 'xtcocotools'):
        assert pins()[package] not in script, f'install.sh repeats {package}\'s version'
    arm = re.search(r'torch==([\d.]+) torchvision==([\d.]+)', script)
    assert f'aarch64: {arm.group(1)}, {arm.group(2)}' in install_table_row('torch')
