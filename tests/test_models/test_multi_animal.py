"""Several animals, found by the model itself: labels with two animals a frame give a
MultiAnimalPoseEstimator that trains (centre channel included) and returns every animal of
a frame, each its own crop's keypoints."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.runner import Runner

from mmpose.apis import init_model
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.data_tools.synthetic_fly import synthetic_fly_pairs
from mmpose_animal.fileio.labels import write_dataset
from mmpose_animal.models import MultiAnimalPoseEstimator


@pytest.fixture(scope='module')
def pairs(tmp_path_factory):
    """Eight synthetic frames of two flies, imported, and their config."""
    folder = tmp_path_factory.mktemp('pairs')
    data = str(folder / 'data')
    summary = write_dataset(synthetic_fly_pairs(8), data, ratios=(0.5, 0.25, 0.25))
    path = folder / 'pairs.py'
    path.write_text(make_config(data, str(path), max_epochs=1, batch_size=4))
    return summary, Config.fromfile(str(path))


def test_labels_of_two_animals_a_frame_make_a_several_animal_model(pairs):
    summary, cfg = pairs
    assert summary.splits['train']['instances'] == 2 * summary.splits['train']['frames']
    assert cfg.model.type == 'MultiAnimalPoseEstimator' and cfg.model.num_animals == 2
    assert cfg.model.head.out_channels == 17 + 1  # the keypoints and the centres
    kinds = [t['type'] for t in cfg.train_pipeline]
    assert kinds.index('GenerateTarget') < kinds.index('AnimalCentreTarget') < \
        kinds.index('PackPoseInputs')
    assert cfg.test_dataloader.dataset.whole_image_boxes and not cfg.model.test_cfg.flip_test


def test_the_centre_channel_marks_every_animal_of_the_frame(pairs):
    _, cfg = pairs
    from mmpose.registry import DATASETS
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, pipeline=[]))
    info = dataset[0]
    assert info['frame_centres'].shape == (2, 2) and info['track_id'] in (0, 1)
    assert dataset.metainfo['track_names'] == ['left', 'right']
    whole = [t for t in cfg.train_pipeline if t['type'] != 'KeypointBBox']
    whole.insert(1, dict(type='KeypointBBox', whole_image_prob=1.0))
    np.random.seed(0)
    sample = Compose(whole[:-1])(dict(info))
    heatmaps, weights = sample['heatmaps'], sample['keypoint_weights']
    assert heatmaps.shape[0] == 18 and weights.shape == (1, 18)
    assert weights[0, :17].max() == 0 and weights[0, 17] == 1  # whole frame: centres only
    peaks = heatmaps[17] > 0.5
    assert 2 <= peaks.sum()  # both flies' centres, one on each half of the input
    columns = np.flatnonzero(peaks.any(0))
    assert columns.min() < heatmaps.shape[2] / 2 < columns.max()


def test_one_training_step_then_every_animal_of_a_frame(pairs, tmp_path):
    _, cfg = pairs
    cfg.work_dir = str(tmp_path / 'work')
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.val_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.train_cfg.val_interval = 10
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter >= 1
    model = runner.model.eval()
    assert isinstance(model, MultiAnimalPoseEstimator)
    # an untrained centre channel finds nothing: lower the threshold to see two animals
    model.centre_thr = 1e-6
    image = np.zeros((192, 384, 3), np.uint8)
    data = dict(img=image, bbox=np.array([[0, 0, 384, 192]], np.float32),
                bbox_score=np.ones(1, np.float32), **runner.train_dataloader.dataset.metainfo)
    with torch.no_grad():
        (sample,) = model.test_step(pseudo_collate([Compose(cfg.test_dataloader.dataset
                                                            .pipeline)(data)]))
    pred = sample.pred_instances
    assert pred.keypoints.shape == (2, 17, 2) and pred.bboxes.shape == (2, 4)
    assert sample.metainfo['found_animals'] >= 2 and 'ori_img' not in sample
    # a video showing more animals than the model finds is named, with the frames' count
    import cv2
    from mmpose_animal.apis import SequenceInput, predict_sequence
    model.num_animals = 1
    model.cfg, model.dataset_meta = cfg, runner.train_dataloader.dataset.metainfo
    paths = [str(tmp_path / f'frame{i}.png') for i in range(2)]
    for path in paths:
        cv2.imwrite(path, image)
    with pytest.warns(UserWarning, match=r'frames: 2 frames show more than 1 animals'):
        sequence = predict_sequence(model, SequenceInput(str(tmp_path / 'frames'), False,
                                                         paths))
    assert sequence.keypoints.shape[:2] == (2, 1)


def test_flip_test_is_refused(pairs):
    _, cfg = pairs
    with pytest.raises(ValueError, match='flip test is not supported'):
        init_model(Config(dict(cfg.to_dict(), model=dict(
            cfg.model, test_cfg=dict(flip_test=True)))), device='cpu')
