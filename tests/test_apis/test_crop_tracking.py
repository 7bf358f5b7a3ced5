"""A crop-based model on the real Openfield frames and video: the coarse stage finds the
mouse, the box follows it, and a frame where it is lost sends it back to the whole frame."""
import json
import os.path as osp

import numpy as np
import pytest

from mmpose_animal.apis import (SequenceInput, load_pose_model, predict_keypoints,
                                predict_sequence, track_frames)
from mmpose_animal.fileio import read_image, read_video
from mmpose_animal.apis.crop_tracking import KeypointMemory
from ..conftest import write_real_clip

# the coarse stage must put the mouse's centre within this of the labels': the mouse is
# about 110 px long and a found box is at least that, padded 1.25x, so the crop still holds
# it (the test model's whole-frame pass runs at 64x64: one heatmap pixel is 50 frame pixels)
COARSE_CENTRE_PX = 45.0


@pytest.fixture(scope='module')
def mouse_model(crop_mouse):
    _, config, checkpoint = crop_mouse
    return load_pose_model(config, checkpoint)


def test_coarse_stage_finds_the_mouse_on_real_test_frames(crop_mouse, mouse_model):
    data, _, _ = crop_mouse
    with open(osp.join(data, 'annotations', 'test.json')) as file:
        coco = json.load(file)
    paths = {image['id']: image['file_name'] for image in coco['images']}
    errors = []
    for ann in coco['annotations']:
        image = read_image(osp.join(data, 'images', paths[ann['image_id']]))
        (sample,) = predict_keypoints(mouse_model, image)  # whole frame: the coarse stage
        assert 'coarse_keypoints' in sample.pred_instances  # ... then the crop
        label = np.array(ann['keypoints'], np.float64).reshape(-1, 3)[:, :2]
        errors.append(np.linalg.norm(sample.pred_instances.coarse_keypoints[0].mean(0)
                                     - label.mean(0)))
    assert len(errors) == 11 and max(errors) < COARSE_CENTRE_PX, errors


def test_the_box_follows_the_mouse_over_the_first_real_frames(tmp_path, mouse_model):
    clip = write_real_clip(str(tmp_path / 'clip.mp4'), 40)
    sequence = predict_sequence(mouse_model, SequenceInput(clip, True))
    assert sequence.located.tolist() == [True] + [False] * 39  # found once, then followed
    centres = np.nanmean(sequence.keypoints[:, 0], axis=1)
    assert np.linalg.norm(np.diff(centres, axis=0), axis=-1).max() < 20  # no jump
    for frame in range(1, 40):  # each frame's box holds the previous frame's confident points
        box, scores = sequence.boxes[frame, 0], sequence.scores[frame - 1, 0]
        points = sequence.keypoints[frame - 1, 0][scores >= 0.5 * scores.max()]
        assert np.all(points >= box[:2] - 1e-3) and np.all(points <= box[2:] + 1e-3)
        assert np.all(box[2:] - box[:2] >= mouse_model.min_size - 1e-3)


def test_onnxruntime_follows_the_same_path(tmp_path, mouse_model):
    import copy
    from mmpose_animal.apis.onnx_export import export_onnx, use_onnxruntime
    clip = write_real_clip(str(tmp_path / 'clip.mp4'), 8)
    onnx_file = export_onnx(mouse_model, str(tmp_path / 'mouse.onnx'),
                            mouse_model.input_size, dynamic_batch=True)
    ort = predict_sequence(use_onnxruntime(copy.deepcopy(mouse_model), onnx_file),
                           SequenceInput(clip, True))
    torch_run = predict_sequence(mouse_model, SequenceInput(clip, True))
    assert ort.located.tolist() == torch_run.located.tolist()
    # the networks agree within 1e-4 (BN folded in one); a point whose confidence sits at
    # the crop's threshold can still move the next crop, so most points, not all, agree
    distance = np.linalg.norm(ort.keypoints - torch_run.keypoints, axis=-1)
    assert np.median(distance) < 0.05 and np.percentile(distance, 90) < 0.5


def test_a_lost_mouse_is_found_again_on_the_whole_frame(tmp_path, mouse_model):
    clip = write_real_clip(str(tmp_path / 'blank.mp4'), 20, broken={10: 'black'})
    results = list(track_frames(mouse_model, read_video(clip)[0]))
    located = [was_located for _, _, was_located in results]
    # frame 10 is black: the crop loses the mouse, the whole frame holds none, so frame 11
    # starts from the whole frame again and the crops follow from there
    assert located == [True] + [False] * 9 + [True, True] + [False] * 8
    points = [np.asarray(samples[0].pred_instances.keypoints[0]) for _, samples, _ in results]
    assert np.linalg.norm(points[11].mean(0) - points[9].mean(0)) < 20


POINTS = np.array([[10.0, 10.0], [20.0, 20.0], [30.0, 30.0]])
SEEN, THIRD_UNSEEN = np.array([0.9, 0.9, 0.9]), np.array([0.9, 0.9, 0.2])  # 0.2 < 0.9 / 2


def test_a_keypoint_unseen_for_longer_than_forget_after_loses_the_animal():
    memory = KeypointMemory(lost_below=0.3, forget_after=3)
    assert memory.update(POINTS, SEEN)
    for frame in range(1, 4):  # unseen for 1, 2, 3 frames: still followed
        assert memory.update(POINTS + frame, THIRD_UNSEEN)
    np.testing.assert_array_equal(memory.places, [[13, 13], [23, 23], [30, 30]])  # last seen
    assert not memory.update(POINTS + 4, THIRD_UNSEEN)  # the 4th: search the whole frame
    memory.forget()
    assert memory.places is None and memory.update(POINTS, SEEN)


def test_a_keypoint_seen_again_starts_its_count_again():
    memory = KeypointMemory(lost_below=0.3, forget_after=3)
    for scores in [SEEN] + [THIRD_UNSEEN] * 3 + [SEEN] + [THIRD_UNSEEN] * 3:
        assert memory.update(POINTS, scores)
    assert memory.unseen.tolist() == [0, 0, 3]


def test_a_keypoint_not_yet_seen_is_nowhere_and_a_dim_frame_is_lost():
    memory = KeypointMemory(lost_below=0.3, forget_after=3)
    assert memory.update(POINTS, THIRD_UNSEEN)
    assert np.isnan(memory.places[2]).all() and np.isfinite(memory.places[:2]).all()
    assert not KeypointMemory(lost_below=0.3).update(POINTS, np.full(3, 0.25))
