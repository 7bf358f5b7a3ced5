"""CropTopdownPoseEstimator: a whole-frame pass, then a crop around what it found, the crop
built as the test pipeline builds it."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate

from mmpose.apis import init_model
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.data_tools.label_import import read_labels, write_dataset
from mmpose_animal.models import CropTopdownPoseEstimator
from ..test_data_tools.label_sources import write_dlc_project


@pytest.fixture(scope='module')
def crop_model(tmp_path_factory):
    """A crop-based model with random weights, from make_config(crop='on')."""
    folder = tmp_path_factory.mktemp('crop_model')
    data = str(folder / 'data')
    write_dataset(read_labels(write_dlc_project(str(folder / 'proj'))), data)
    path = folder / 'crop.py'
    path.write_text(make_config(data, str(path), crop='on', max_epochs=2))
    torch.manual_seed(0)
    return init_model(Config.fromfile(str(path)), device='cpu').eval()


def _predict(model, image, bbox):
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    data = dict(img=image, bbox=np.array([bbox], np.float32), bbox_score=np.ones(1, np.float32),
                **model.dataset_meta)
    with torch.no_grad():
        return model.test_step(pseudo_collate([pipeline(data)]))[0]


def _image():
    rng = np.random.default_rng(0)
    return rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)


def test_whole_frame_is_refined_on_the_crop_the_pipeline_would_make(crop_model):
    """With refinement forced, the final points are those of predicting straight in the
    crop box (the model's crop equals the pipeline's), and the first pass is kept."""
    assert isinstance(crop_model, CropTopdownPoseEstimator)
    crop_model.refine_below = 1.0
    image = _image()
    refined = _predict(crop_model, image, [0, 0, 320, 240])
    pred = refined.pred_instances
    assert 'coarse_keypoints' in pred and 'ori_img' not in refined.metainfo
    crop_box = pred.bboxes[0]  # the extent of the confident first-pass points
    coarse = pred.coarse_keypoints[0]
    assert np.all(crop_box[:2] >= coarse.min(0) - crop_model.min_size)
    assert np.all(crop_box[2:] <= coarse.max(0) + crop_model.min_size)
    crop_model.refine_below = 1e-9  # never: one pass in the given box
    direct = _predict(crop_model, image, crop_box.tolist())
    assert 'coarse_keypoints' not in direct.pred_instances
    np.testing.assert_allclose(pred.keypoints, direct.pred_instances.keypoints, atol=1e-3)
    np.testing.assert_allclose(pred.keypoint_scores, direct.pred_instances.keypoint_scores,
                               atol=1e-5)
    crop_model.refine_below = 0.5


def test_fill_compares_the_padded_box_with_the_input(crop_model):
    width, height = crop_model.input_size
    scale = np.array([400.0, 400.0 * height / width])
    box = np.array([100, 100, 180, 140], np.float32)  # 80 x 40, padded 100 x 50
    assert crop_model.fill_of(box, scale) == pytest.approx(
        max(100, 50 * width / height) / 400)


def test_a_pipeline_without_the_original_image_is_a_clear_error(crop_model):
    sample = crop_model.cfg.test_dataloader.dataset.pipeline
    pipeline = Compose([t for t in sample if t['type'] != 'KeepOriginalImage'])
    data = dict(img=_image(), bbox=np.array([[0, 0, 320, 240]], np.float32),
                bbox_score=np.ones(1, np.float32), **crop_model.dataset_meta)
    with pytest.raises(KeyError, match='KeepOriginalImage'):
        with torch.no_grad():
            crop_model.test_step(pseudo_collate([pipeline(data)]))


@pytest.mark.parametrize('crop, message', [(dict(pad=1.2), 'unknown crop keys'),
                                           (dict(padding=0.9), 'padding >= 1'),
                                           (dict(refine_below=0), 'refine_below')])
def test_bad_crop_settings_are_errors(crop_model, crop, message):
    cfg = crop_model.cfg.model
    with pytest.raises(ValueError, match=message):
        CropTopdownPoseEstimator(backbone=cfg.backbone, head=cfg.head, crop=crop)
