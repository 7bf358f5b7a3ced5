"""Optional features name the extra that installs them when their library is missing."""
import importlib
import sys

import pytest

from mmpose_animal.utils.optional_import import require


def test_a_missing_library_names_its_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, 'sleap_io', None)  # import sleap_io now fails
    with pytest.raises(ImportError, match=r'sleap_io is not installed; it is needed for label '
                                          r'import.* pip install "mmpose-animal\[labels\]"'):
        require('sleap_io', 'labels')


def test_the_label_importer_without_its_extra(monkeypatch):
    for name in [n for n in sys.modules if n.startswith('mmpose_animal.fileio.labels')]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, 'sleap_io', None)
    with pytest.raises(ImportError, match=r'mmpose-animal\[labels\]'):
        importlib.import_module('mmpose_animal.fileio.labels')


def test_timm_encoder_without_its_extra(monkeypatch):
    from mmpose.registry import MODELS
    monkeypatch.setitem(sys.modules, 'timm', None)
    with pytest.raises(ImportError, match=r'mmpose-animal\[timm\]'):
        MODELS.build(dict(type='TimmEncoder', model_name='mobilenetv3_large_100'))


def test_the_package_imports_without_any_extra(monkeypatch):
    """``import mmpose_animal`` (models, datasets, hooks, metrics) needs no extra."""
    import subprocess
    code = ('import sys\n'
            'for name in ("sleap_io", "timm", "onnx", "onnxruntime", "pandas", "h5py"):\n'
            '    sys.modules[name] = None\n'
            'import mmpose_animal, mmpose_animal.apis\n'
            'print("ok")\n')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.stdout.strip() == 'ok', result.stderr
