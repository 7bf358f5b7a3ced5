"""The overlay's heatmap lies on the keypoint, also on non-square images."""
import types

import cv2
import numpy as np
import torch
from mmengine.structures import InstanceData, PixelData

from mmpose.structures import PoseDataSample
from mmpose.visualization import PoseLocalVisualizer
from mmpose_animal.engine import PoseOverlayHook

WIDTH, HEIGHT, KEYPOINT = 200, 100, (150.0, 30.0)


def sample_with_heatmap(img_path):
    """A prediction on a 200x100 image seen through a 64x64 input (16x16 heatmap): the box is
    the whole image, padded to a square (center (100, 50), scale 200)."""
    center, scale = np.array([100.0, 50.0]), np.array([200.0, 200.0])
    hm_x = (KEYPOINT[0] - (center[0] - scale[0] / 2)) / scale[0] * 16
    hm_y = (KEYPOINT[1] - (center[1] - scale[1] / 2)) / scale[1] * 16
    ys, xs = np.mgrid[0:16, 0:16]
    heatmap = np.exp(-((xs - hm_x) ** 2 + (ys - hm_y) ** 2) / 2.0)[None].astype(np.float32)
    sample = PoseDataSample(metainfo=dict(img_path=img_path, ori_shape=(HEIGHT, WIDTH),
                                          input_center=center, input_scale=scale,
                                          input_size=(64, 64), flip_indices=[0]))
    keypoints = np.array([[KEYPOINT]], dtype=np.float32)
    sample.gt_instances = InstanceData(keypoints=keypoints, keypoints_visible=np.ones((1, 1)),
                                       bboxes=np.array([[0, 0, WIDTH, HEIGHT]], np.float32))
    sample.pred_instances = InstanceData(keypoints=keypoints, keypoint_scores=np.ones((1, 1)),
                                         bboxes=np.array([[0, 0, WIDTH, HEIGHT]], np.float32))
    sample.pred_fields = PixelData(heatmaps=torch.from_numpy(heatmap))
    return sample


def test_heatmap_peak_is_drawn_on_the_keypoint_of_a_non_square_image(tmp_path):
    img_path = str(tmp_path / 'wide.png')
    cv2.imwrite(img_path, np.full((HEIGHT, WIDTH, 3), 60, np.uint8))
    PoseLocalVisualizer.get_instance('overlay_test', vis_backends=[dict(type='LocalVisBackend')],
                                     save_dir=str(tmp_path / 'vis'))
    runner = types.SimpleNamespace(test_evaluator=types.SimpleNamespace(dataset_meta=dict(
        keypoint_id2name={0: 'nose'}, num_keypoints=1, skeleton_links=[],
        keypoint_colors=np.array([[255, 0, 0]]), skeleton_link_colors=np.zeros((0, 3)))))
    hook = PoseOverlayHook(out_dir=str(tmp_path / 'out'))
    hook.after_test_iter(runner, 0, outputs=[sample_with_heatmap(img_path)])

    drawn = cv2.imread(str(tmp_path / 'out' / 'wide.png'))
    assert drawn.shape[0] == 2 * HEIGHT  # the image, the heatmap below it
    panel = drawn[HEIGHT:, -WIDTH:].astype(int)  # heatmap below the prediction
    hotness = panel[..., 2] - panel[..., 0]  # red, the top of the jet colormap, around the peak
    ys, xs = np.nonzero(hotness > hotness.max() / 2)
    # the peak is a heatmap pixel (12.5 image pixels here) from the exact keypoint at most
    assert abs(xs.mean() - KEYPOINT[0]) <= 8 and abs(ys.mean() - KEYPOINT[1]) <= 8, (
        xs.mean(), ys.mean())
