from importlib import metadata

import pytest

from mmpose_animal.utils.stack_check import (SUPPORTED_VERSIONS, StackError, check_mmcv_ops,
                                             check_versions)

GOOD = dict(torch='2.14.1', mmengine='0.10.7', mmcv='2.1.0', mmdet='3.3.0', mmpose='1.3.2')


def versions(**changes):
    table = dict(GOOD, **changes)

    def get_version(name):
        if table.get(name) is None:
            raise metadata.PackageNotFoundError(name)
        return table[name]
    return get_version


def test_supported_stack_passes():
    check_versions(versions())
    check_mmcv_ops()  # the installed mmcv has its compiled ops


@pytest.mark.parametrize('package', sorted(SUPPORTED_VERSIONS))
def test_every_version_inside_the_range_is_accepted(package):
    low, high = SUPPORTED_VERSIONS[package]
    inside = [low, low + '.post1']
    if high is not None:  # the last releases before the bound
        major, minor, _ = high.split('.')
        inside += [f'{major}.{int(minor) - 1}.99'] if int(minor) else [f'{int(major) - 1}.99.9']
    for version in inside:
        check_versions(versions(**{package: version}))


@pytest.mark.parametrize('changes,expected', [
    (dict(mmcv='2.2.0'), 'mmcv 2.2.0 is installed; install "mmcv>=2.0.0,<2.2.0"'),
    (dict(mmpose='1.0.0'), 'mmpose 1.0.0 is installed; install "mmpose>=1.1.0,<1.4.0"'),
    (dict(mmpose='1.4.0'), 'mmpose 1.4.0 is installed; install "mmpose>=1.1.0,<1.4.0"'),
    (dict(mmdet=None), 'mmdet is not installed; install "mmdet>=3.0.0,<3.4.0"'),
    (dict(mmdet='2.28.2'), 'mmdet 2.28.2 is installed; install "mmdet>=3.0.0,<3.4.0"'),
    (dict(torch='2.4.1'), 'torch 2.4.1 is installed; install "torch>=2.5"'),
])
def test_message_names_the_range(changes, expected):
    with pytest.raises(StackError) as error:
        check_versions(versions(**changes))
    assert expected in str(error.value)
    assert 'make install' in str(error.value)


def test_every_problem_is_listed_at_once():
    with pytest.raises(StackError) as error:
        check_versions(versions(mmcv='1.7.0', mmengine='0.9.0'))
    assert 'mmcv 1.7.0' in str(error.value) and 'mmengine 0.9.0' in str(error.value)
