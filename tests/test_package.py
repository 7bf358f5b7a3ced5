import subprocess
import sys


def test_import_registers_every_module_in_mmpose_registries():
    code = '''
import mmpose_animal
from mmpose.registry import DATASETS, HOOKS, METRICS, MODELS
assert MODELS.get('UNetHeatmapHead') is mmpose_animal.models.UNetHeatmapHead
assert MODELS.get('UNetEncoder') is mmpose_animal.models.UNetEncoder
assert DATASETS.get('PetNoseDataset') is mmpose_animal.datasets.PetNoseDataset
assert DATASETS.get('Fly17Dataset') is mmpose_animal.datasets.Fly17Dataset
assert DATASETS.get('FlyDataset').__module__.startswith('mmpose.')  # mmpose's own, untouched
assert METRICS.get('KeypointDistanceMetric') is not None
assert METRICS.get('KeypointPredictionDump') is not None
assert HOOKS.get('PlainCheckpointHook') is not None and HOOKS.get('PoseOverlayHook') is not None
assert MODELS.scope == 'mmpose'
print('ok')
'''
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.stdout.strip() == 'ok', result.stderr[-2000:]
