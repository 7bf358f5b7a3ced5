"""mmpose-animal: animal keypoint localization as an mmpose 1.x plugin."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def read_version() -> str:
    """Read ``__version__`` from ``mmpose_animal/version.py`` without importing the package."""
    namespace: dict = {}
    exec((HERE / 'mmpose_animal' / 'version.py').read_text(), namespace)
    return namespace['__version__']


def read_requirements(name: str) -> list:
    """Requirement lines of ``requirements/<name>.txt`` (comments and blanks dropped)."""
    lines = (HERE / 'requirements' / f'{name}.txt').read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith('#')]


# optional features, each an extra (mmpose_animal/utils/optional_import.py names them)
EXTRAS = ('labels', 'onnx', 'timm')

setup(
    name='mmpose-animal',
    version=read_version(),
    description='UNet heatmap heads, animal datasets and tools for mmpose 1.x',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.9',
    packages=find_packages(include=['mmpose_animal', 'mmpose_animal.*']),
    # the metainfo files and the base configs are configs read by path, not modules
    package_data={'mmpose_animal': ['datasets/metainfo/*.py', 'configs/*.py', 'configs/_base_/*.py',
                                    '.mim/model-index.yml', '.mim/configs/_base_/*.py']},
    install_requires=read_requirements('runtime'),
    extras_require={
        **{extra: read_requirements(extra) for extra in EXTRAS},
        'all': [line for extra in EXTRAS for line in read_requirements(extra)],
        'tests': [line for extra in EXTRAS for line in read_requirements(extra)]
        + read_requirements('tests'),
    },
)
