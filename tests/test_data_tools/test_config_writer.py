"""make_config: the package's base recipe, fine-tuning from another model (another K), codecs."""
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmpose.registry import MODELS
from mmpose_animal.data_tools.config_writer import BASE_CONFIG, make_config
from mmpose_animal.fileio.labels import read_labels, write_dataset
from ..test_fileio.label_sources import write_dlc_project


@pytest.fixture(scope='module')
def data_root(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp('config_writer')
    write_dataset(read_labels(write_dlc_project(str(folder / 'proj'))), str(folder / 'data'))
    return str(folder / 'data')


def _written(path, text: str) -> Config:
    path.write_text(text)
    return Config.fromfile(str(path))


def _shared_project(tmp_path, name: str) -> str:
    """``../shared/data/<name>`` imported into ``tmp_path/<name>`` (skip when absent)."""
    from ..test_fileio.label_sources import SHARED
    project = osp.join(SHARED, name)
    if not osp.isdir(project):
        pytest.skip(f'../shared/data/{name} is not here')
    out = str(tmp_path / name)
    write_dataset(read_labels(project), out, link=True)
    return out


def test_generated_config_inherits_the_packaged_recipe_and_trains(data_root, tmp_path,
                                                                  monkeypatch):
    """The generated file names the base shipped in the package through the package
    (``mmpose_animal::``), so it loads from any folder; it states only what differs; the
    model, evaluators and hooks come from the base, and it trains."""
    text = make_config(data_root, max_epochs=1)
    assert BASE_CONFIG == 'mmpose_animal::_base_/unet_topdown.py'
    assert f"'{BASE_CONFIG}'" in text and "type='UNetEncoder'" not in text
    elsewhere = tmp_path / 'copied' / 'to' / 'a' / 'node'
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)  # loads from another folder and working directory
    cfg = _written(elsewhere / 'gen.py', text)
    assert cfg.model.backbone.type == 'UNetEncoder' and cfg.model.head.out_channels == 3
    assert [e['type'] for e in cfg.val_evaluator] == ['PCKAccuracy', 'AUC', 'EPE',
                                                     'KeypointDistanceMetric']
    assert cfg.default_hooks.plain_checkpoint.type == 'PlainCheckpointHook'
    assert cfg.train_dataloader.dataset.type == 'AnimalKeypointDataset'
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter == len(runner.train_dataloader) and runner.epoch == 1
    assert osp.isfile(osp.join(cfg.work_dir, 'epoch_1.pth'))


def test_fine_tuning_config_starts_from_another_models_weights(data_root, tmp_path):
    scratch = _written(tmp_path / 'scratch.py', make_config(data_root, max_epochs=4))
    other = MODELS.build(dict(scratch.model, head=dict(scratch.model.head, out_channels=7)))
    other.init_weights()
    checkpoint = tmp_path / 'other_k7.pth'
    torch.save(dict(state_dict=other.state_dict()), checkpoint)

    cfg = _written(tmp_path / 'fine.py', make_config(data_root, max_epochs=4,
                                                      load_from=str(checkpoint),
                                                      freeze_epochs=2))
    assert cfg.default_hooks.freeze_backbone == dict(type='FreezeBackboneHook', epochs=2)
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.call_hook('before_run')  # as runner.train() does first (weight averaging starts)
    runner.load_or_resume()
    loaded, source = runner.model.state_dict(), other.state_dict()
    for key, value in loaded.items():
        if key != 'head.final_layer.weight' and key != 'head.final_layer.bias':
            assert torch.equal(value, source[key]), key
    assert loaded['head.final_layer.weight'].shape[0] == 3  # this dataset's K, fresh
    assert scratch.load_from is None and 'freeze_backbone' not in scratch.default_hooks


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(freeze_epochs=1), ValueError, 'freeze_epochs needs load_from'),
    (dict(freeze_epochs=4, load_from=__file__), ValueError, r'integer in \[0, 4\)'),
    (dict(load_from='/nonexistent/w.pth'), FileNotFoundError, 'load_from /nonexistent/w.pth'),
])
def test_bad_fine_tuning_arguments_are_clear_errors(data_root, kwargs, error, message):
    with pytest.raises(error, match=message):
        make_config(data_root, max_epochs=4, **kwargs)


def test_rotation_follows_the_boxes(data_root, tmp_path):
    """Whole-frame boxes rotate up to 30 deg (more pushes the animal out of the crop);
    boxes around the animal (imported or crops) up to 180 (any heading); an explicit range
    wins."""
    assert 'rotate_factor=30.0' in make_config(data_root, crop='off')
    assert 'rotate_factor=180.0' in make_config(data_root, crop='on')
    around = str(tmp_path / 'around')
    write_dataset(read_labels(write_dlc_project(str(tmp_path / 'proj'))), around,
                  bbox='keypoints')
    assert 'rotate_factor=180.0' in make_config(around)
    assert 'rotate_factor=45.0' in make_config(data_root, crop='off', rotate=45.0)


@pytest.mark.parametrize('codec, codec_type', [('MSRA', 'MSRAHeatmap'), ('DARK', 'MSRAHeatmap'),
                                               ('UDP', 'UDPHeatmap')])
def test_each_codec_decodes_its_own_targets_back_to_the_labels(data_root, tmp_path, codec,
                                                                codec_type):
    """The crop and the codec agree: a sample's target heatmaps, decoded as at test time and
    mapped back through its crop, land on the labelled points: within half a heatmap pixel
    for MSRA (its targets sit on the heatmap grid), a tenth for DARK and UDP (sub-pixel
    targets and refinement)."""
    import numpy as np
    from mmcv.transforms import Compose
    from mmengine.registry import init_default_scope
    from mmpose.registry import DATASETS, KEYPOINT_CODECS
    cfg = _written(tmp_path / 'c.py', make_config(data_root, codec=codec))
    assert cfg.codec.type == codec_type
    affines = [t for t in cfg.train_pipeline + cfg.val_pipeline if t.type == 'TopdownAffine']
    assert all(t.get('use_udp', False) == (codec == 'UDP') for t in affines)
    init_default_scope('mmpose')
    decoder = KEYPOINT_CODECS.build(cfg.codec)
    dataset = DATASETS.build(dict(cfg.val_dataloader.dataset, pipeline=[]))
    to_target = Compose(cfg.val_pipeline[:-1] + [dict(type='GenerateTarget', encoder=cfg.codec)])
    for index in range(len(dataset)):
        sample = to_target(dataset[index])
        keypoints, _ = decoder.decode(sample['heatmaps'])
        input_size = np.array(cfg.codec.input_size)
        original = (keypoints / input_size * sample['input_scale'] + sample['input_center']
                    - 0.5 * sample['input_scale'])
        pixel = sample['input_scale'][0] / cfg.codec.heatmap_size[0]  # in original pixels
        np.testing.assert_allclose(original, dataset.get_data_info(index)['keypoints'],
                                   atol=(0.5 if codec == 'MSRA' else 0.1) * pixel)


def test_crops_are_chosen_when_the_animal_is_small_in_the_frame(tmp_path):
    """The real Openfield mouse spans 17 % of its 640x480 frames: crop-based, square input
    of about the crop's size, the crops' longer schedule (600 epochs); a synthetic fly filling
    its frame keeps the whole frame; either can be forced."""
    from mmpose_animal.data_tools import make_synthetic_fly17
    mouse = _shared_project(tmp_path, 'dlc-openfield')
    cfg = _written(tmp_path / 'mouse.py', make_config(mouse))
    assert cfg.model.type == 'CropTopdownPoseEstimator'
    assert cfg.model.crop == dict(padding=1.25, min_size=111.2, max_size=222.4,
                                  refine_below=0.5, use_udp=True)
    assert tuple(cfg.codec.input_size) == (128, 128) and cfg.train_cfg.max_epochs == 600
    assert cfg.train_pipeline[1] == dict(type='KeypointBBox', min_size=111.2,
                                         whole_image_prob=0.25)
    assert cfg.test_dataloader.dataset.whole_image_boxes
    assert 'ori_img' in cfg.val_pipeline[-1].meta_keys
    assert cfg.model.test_cfg.flip_test  # flip test on crops too, unless turned off
    unflipped = _written(tmp_path / 'flip.py', make_config(mouse, flip_test=False))
    assert not unflipped.model.test_cfg.flip_test
    whole = _written(tmp_path / 'whole.py', make_config(mouse, crop='off'))
    assert whole.model.type == 'TopdownPoseEstimator' and 'crop' not in whole.model
    assert whole.model.test_cfg.flip_test
    assert tuple(whole.codec.input_size) == (256, 192)

    fly = tmp_path / 'fly'
    make_synthetic_fly17(str(fly), num=12, seed=0)
    fly_data = str(tmp_path / 'fly_data')
    write_dataset(read_labels(str(fly / 'annotations' / 'fly17_train.json'),
                              image_root=str(fly / 'images')), fly_data)
    assert 'Crop' not in make_config(fly_data)
    forced = _written(tmp_path / 'forced.py', make_config(fly_data, crop='on'))
    assert forced.model.type == 'CropTopdownPoseEstimator'


def _centred_crops(dataset: str, out: str, side: int = 256) -> str:
    """A COCO json of ``side`` x ``side`` crops of ``dataset``'s train frames, each centred on
    the labelled animal (the mouse, ~110 px long and at most ~200, fills it, as in
    centred-crop datasets)."""
    import json
    import cv2
    import numpy as np
    with open(osp.join(dataset, 'annotations', 'train.json')) as file:
        coco = json.load(file)
    images = {image['id']: image for image in coco['images']}
    os.makedirs(osp.join(out, 'images'))
    for ann in coco['annotations']:
        image = images[ann['image_id']]
        frame = cv2.imread(osp.join(dataset, 'images', image['file_name']))
        points = np.array(ann['keypoints'], np.float64).reshape(-1, 3)
        labelled = points[points[:, 2] > 0, :2]
        padded = cv2.copyMakeBorder(frame, side, side, side, side, cv2.BORDER_CONSTANT)
        x0, y0 = (labelled.mean(0) - side / 2).round().astype(int)
        cv2.imwrite(osp.join(out, 'images', f'{ann["id"]}.png'),
                    padded[y0 + side:y0 + 2 * side, x0 + side:x0 + 2 * side])
        points[points[:, 2] > 0, :2] -= (x0, y0)
        image.update(file_name=f'{ann["id"]}.png', width=side, height=side, id=ann['id'])
        ann.update(image_id=ann['id'], keypoints=points.ravel().tolist(),
                   bbox=[0, 0, side, side])
    coco['images'] = [images[ann['image_id']] for ann in coco['annotations']]
    with open(osp.join(out, 'crops.json'), 'w') as file:
        json.dump(coco, file)
    return osp.join(out, 'crops.json')


def test_several_animals_keep_the_shorter_schedule(tmp_path):
    """One animal's crops train for ~3,600 iterations (cross-validated); several animals a
    frame ~1,800: 8 training instances at batch 1 are 225 epochs, where one animal's crops
    would get 450."""
    from mmpose_animal.data_tools.synthetic_fly import synthetic_fly_pairs
    data = str(tmp_path / 'pairs')
    summary = write_dataset(synthetic_fly_pairs(8), data, ratios=(0.5, 0.25, 0.25))
    assert summary.splits['train']['instances'] == 8
    cfg = _written(tmp_path / 'pairs.py', make_config(data, batch_size=1))
    assert cfg.model.type == 'MultiAnimalPoseEstimator' and cfg.train_cfg.max_epochs == 225


def test_real_centred_crops_keep_the_whole_frame_default(tmp_path):
    """Where the animal fills the frame (centred crops of the real Openfield frames), the
    default is the whole-frame model, exactly what crop='off' writes, with the whole frame's
    schedule (~3,000 iterations, capped at 300 epochs)."""
    mouse = _shared_project(tmp_path, 'dlc-openfield')
    crops = str(tmp_path / 'crops')
    write_dataset(read_labels(_centred_crops(mouse, str(tmp_path / 'coco')),
                              image_root=str(tmp_path / 'coco' / 'images')), crops)
    default = make_config(crops)
    assert default == make_config(crops, crop='off')
    cfg = _written(tmp_path / 'crops.py', default)
    assert cfg.model.type == 'TopdownPoseEstimator' and tuple(cfg.codec.input_size) == (256, 256)
    assert cfg.train_cfg.max_epochs == 300


def test_bad_crop_requests_are_clear_errors(data_root, tmp_path):
    with pytest.raises(ValueError, match="crop must be one of"):
        make_config(data_root, crop='yes')
    around = str(tmp_path / 'around')
    write_dataset(read_labels(write_dlc_project(str(tmp_path / 'proj'))), around,
                  bbox='keypoints')
    with pytest.raises(ValueError, match='crop=on needs one animal per frame'):
        make_config(around, crop='on')


def test_a_rarely_labelled_far_part_still_sets_the_animals_extent():
    """Head points in every frame, the tail (60 px away) in a fifth of them: the extent is
    the whole animal's, not the head's (the failure of a 'median over every instance')."""
    from mmpose_animal.data_tools.config_writer import label_stats
    annotations = []
    for index in range(50):
        tail = [60.0, 0.0, 2] if index % 5 == 0 else [0.0, 0.0, 0]
        annotations.append(dict(image_id=index, bbox=[0.0, 0.0, 640.0, 480.0],
                                keypoints=[0.0, 0.0, 2, 10.0, 0.0, 2, 5.0, 8.0, 2, *tail]))
    images = [dict(id=index, width=640, height=480) for index in range(50)]
    stats = label_stats(dict(images=images, annotations=annotations))
    assert stats.extent == pytest.approx(60.0)
    assert stats.fill == pytest.approx(60.0 / 640)
    assert stats.labelled_share[3] == pytest.approx(0.2)
