import os
import os.path as osp
import shutil
import subprocess
import sys
import zipfile

from .conftest import ROOT


def test_import_registers_every_module_in_mmpose_registries():
    code = '''
import mmpose_animal
from mmpose.registry import DATASETS, HOOKS, METRICS, MODELS
assert MODELS.get('UNetHeatmapHead') is mmpose_animal.models.UNetHeatmapHead
assert MODELS.get('UNetEncoder') is mmpose_animal.models.UNetEncoder
assert DATASETS.get('PetNoseDataset') is mmpose_animal.datasets.PetNoseDataset
assert DATASETS.get('Fly17Dataset') is mmpose_animal.datasets.Fly17Dataset
assert DATASETS.get('AnimalKeypointDataset') is mmpose_animal.datasets.AnimalKeypointDataset
assert DATASETS.get('FlyDataset').__module__.startswith('mmpose.')  # mmpose's own, untouched
assert METRICS.get('KeypointDistanceMetric') is not None
assert METRICS.get('KeypointPredictionDump') is not None
assert HOOKS.get('PlainCheckpointHook') is not None and HOOKS.get('PoseOverlayHook') is not None
assert MODELS.scope == 'mmpose'
print('ok')
'''
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.stdout.strip() == 'ok', result.stderr[-2000:]


def test_a_built_wheel_ships_the_metainfo_and_builds_both_datasets(tmp_path, fly17_root,
                                                                    petnose_root):
    # a clean copy of the checkout: no egg-info or build/ of an earlier install to borrow from
    files = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    source = tmp_path / 'source'
    for name in files:
        if osp.isfile(osp.join(ROOT, name)):
            os.makedirs(source / osp.dirname(name), exist_ok=True)
            shutil.copyfile(osp.join(ROOT, name), source / name)
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
                    '-q', '-w', str(tmp_path / 'dist'), str(source)], check=True,
                   capture_output=True)
    (wheel,) = (tmp_path / 'dist').glob('mmpose_animal-*.whl')
    names = zipfile.ZipFile(wheel).namelist()
    for metainfo in ('fly17.py', 'pet_nose.py'):
        assert f'mmpose_animal/datasets/metainfo/{metainfo}' in names
    target = tmp_path / 'site'
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q', '--target',
                    str(target), str(wheel)], check=True, capture_output=True)
    code = f'''
import mmpose_animal
assert mmpose_animal.__file__.startswith({str(target)!r}), mmpose_animal.__file__
from mmpose_animal.datasets import Fly17Dataset, PetNoseDataset
fly = Fly17Dataset(ann_file='annotations/fly17_train.json', data_root={fly17_root!r},
                   data_prefix=dict(img='images/'), pipeline=[])
pets = PetNoseDataset(ann_file='train_noses.txt', data_root={petnose_root!r},
                      data_prefix=dict(img='images/'), pipeline=[])
assert fly.metainfo['num_keypoints'] == 17 and pets.metainfo['num_keypoints'] == 1
print('ok')
'''
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            cwd=str(tmp_path), env=dict(os.environ, PYTHONPATH=str(target)))
    assert result.stdout.splitlines()[-1:] == ['ok'], result.stderr[-3000:]
