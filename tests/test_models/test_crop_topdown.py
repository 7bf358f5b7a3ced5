"""CropTopdownPoseEstimator: a whole-frame pass, then a crop around what it found, the crop
built as the test pipeline builds it."""
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate

from mmpose.apis import init_model
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.fileio.labels import read_labels, write_dataset
from mmpose_animal.models import CropTopdownPoseEstimator
from ..test_fileio.label_sources import write_dlc_project


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


def _box(model, keypoints, scores):
    """The crop's box as ``predict`` makes it from a first pass's points and scores."""
    return model.animal_bbox(keypoints, model.animal_points(keypoints, scores))


def _image():
    rng = np.random.default_rng(0)
    return rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)


def test_whole_frame_is_refined_on_the_crop_the_pipeline_would_make(crop_model):
    """With refinement forced, the second pass equals predicting straight in the crop box
    (the model's crop equals the pipeline's), the first pass is kept beside it, and the
    answer is the surer pass's."""
    assert isinstance(crop_model, CropTopdownPoseEstimator)
    image = _image()
    crop_model.refine_below = 1e-9  # never: one pass in the given box
    whole = _predict(crop_model, image, [0, 0, 320, 240]).pred_instances
    crop_box = _box(crop_model, whole.keypoints[0], whole.keypoint_scores[0])
    direct = _predict(crop_model, image, crop_box.tolist()).pred_instances
    assert 'coarse_keypoints' not in direct
    crop_model.refine_below = 1.0
    refined = _predict(crop_model, image, [0, 0, 320, 240])
    crop_model.refine_below = 0.5
    pred = refined.pred_instances
    assert 'coarse_keypoints' in pred and 'ori_img' not in refined.metainfo
    np.testing.assert_allclose(pred.coarse_keypoints, whole.keypoints, atol=1e-3)
    # per keypoint; a first-pass point the box left out needs the crop to score as high
    share = np.where(crop_model.animal_points(whole.keypoints[0], whole.keypoint_scores[0]),
                     0.5, 1.0)
    failed = direct.keypoint_scores < share * whole.keypoint_scores
    np.testing.assert_allclose(pred.keypoints, np.where(failed[..., None], whole.keypoints,
                                                        direct.keypoints), atol=1e-3)
    np.testing.assert_allclose(pred.keypoint_scores, np.where(
        failed, whole.keypoint_scores, direct.keypoint_scores), atol=1e-5)


@pytest.mark.parametrize('left_out', [False, True])
def test_a_crop_less_sure_than_the_whole_frame_keeps_the_whole_frames_answer(
        crop_model, monkeypatch, left_out):
    """Where the second pass scores under half the first (here: its scores scaled down),
    the first pass's point stays, keypoint by keypoint; scoring a little lower still
    replaces it, unless the box left the point out (``left_out``: all but one point, the
    crop not framed to see them), where the crop must score at least as high."""
    first_pass = CropTopdownPoseEstimator.predict_in_boxes
    image = _image()
    crop_model.refine_below = 1.0
    whole = first_pass(crop_model, *_batch(crop_model, image))[0].pred_instances
    num = whole.keypoints.shape[1]
    box = _box(crop_model, whole.keypoints[0], whole.keypoint_scores[0])
    boxed = np.array([True] + [not left_out] * (num - 1))  # the points the box holds
    monkeypatch.setattr(CropTopdownPoseEstimator, 'animal_bbox', lambda *_: box)
    monkeypatch.setattr(CropTopdownPoseEstimator, 'animal_points', lambda *_: boxed)
    share = np.where(boxed, 0.5, 1.0)
    one_failed = np.ones(num)
    one_failed[0] = 0.01
    for factor in (0.01, 0.9, 2.0, one_failed):
        calls, crops = [], []

        def scaled(self, inputs, samples, factor=factor):
            results = first_pass(self, inputs, samples)
            if calls:  # the second pass: the crop
                for result in results:
                    crops.append(result.pred_instances.clone())
                    result.pred_instances.keypoint_scores = (
                        result.pred_instances.keypoint_scores * factor)
            calls.append(len(results))
            return results
        monkeypatch.setattr(CropTopdownPoseEstimator, 'predict_in_boxes', scaled)
        pred = _predict(crop_model, image, [0, 0, 320, 240]).pred_instances
        assert calls == [1, 1]
        (crop,) = crops
        failed = (crop.keypoint_scores * factor < share * whole.keypoint_scores)[0]  # (K,)
        if factor is one_failed:
            assert failed[0]
        else:
            np.testing.assert_array_equal(failed, factor < share)
        np.testing.assert_allclose(pred.keypoints[0][failed], whole.keypoints[0][failed],
                                   atol=1e-4)
        np.testing.assert_allclose(pred.keypoints[0][~failed], crop.keypoints[0][~failed],
                                   atol=1e-4)
        np.testing.assert_allclose(pred.coarse_keypoints, whole.keypoints, atol=1e-4)
    crop_model.refine_below = 0.5


def _batch(model, image):
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    data = dict(img=image, bbox=np.array([[0, 0, 320, 240]], np.float32),
                bbox_score=np.ones(1, np.float32), **model.dataset_meta)
    batch = model.data_preprocessor(pseudo_collate([pipeline(data)]), False)
    return batch['inputs'], batch['data_samples']


def test_a_stray_confident_point_does_not_stretch_the_box(crop_model):
    """The crop's box is made of the confident points that lie together: one far away (a
    rarely seen part guessed elsewhere) is left out; the box is at least min_size."""
    sizes = crop_model.min_size, crop_model.max_size
    crop_model.min_size, crop_model.max_size = 50.0, 100.0
    points = np.array([[100, 100], [120, 110], [110, 130], [600, 20]], np.float64)
    box = _box(crop_model, points, np.array([0.9, 0.8, 0.9, 0.95]))
    assert box.tolist() == [85, 90, 135, 140]  # the three near points, grown to 50 x 50
    assert crop_model.animal_points(points, np.array([0.9, 0.8, 0.9, 0.95])).tolist() == [
        True, True, True, False]
    unsure = crop_model.animal_points(points, np.array([0.9, 0.3, 0.9, 0.0]))
    assert unsure.tolist() == [True, False, True, False]  # under half the best: left out
    apart = _box(crop_model, points, np.array([0.9, 0.0, 0.0, 0.95]))
    assert apart.tolist() == [575, -5, 625, 45]  # two far apart: the surer one alone
    assert _box(crop_model, points, np.zeros(4)) is None
    crop_model.min_size, crop_model.max_size = sizes


def test_a_stretched_animal_stays_whole_in_the_box(crop_model):
    """The anchor (most neighbours) is often at one end of the animal, e.g. among the head's
    points: a tail base nearly max_size away from it still counts."""
    sizes = crop_model.min_size, crop_model.max_size
    crop_model.min_size, crop_model.max_size = 50.0, 100.0
    points = np.array([[100, 100], [110, 95], [110, 105], [190, 110]], np.float64)
    box = _box(crop_model, points, np.ones(4))
    assert box.tolist() == [100, 77.5, 190, 127.5]  # 90 long, grown to 50 high
    crop_model.min_size, crop_model.max_size = sizes


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
