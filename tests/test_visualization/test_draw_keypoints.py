import numpy as np
import pytest
from mmpose.datasets.datasets.utils import parse_pose_metainfo

from mmpose_animal.datasets import Fly17Dataset
from mmpose_animal.visualization import draw_keypoints


@pytest.fixture(scope='module')
def metainfo() -> dict:
    return parse_pose_metainfo(Fly17Dataset.METAINFO)


def spread_keypoints() -> np.ndarray:
    """17 points on a 120x120 canvas, far enough apart that their dots do not touch."""
    grid = np.stack(np.meshgrid(np.arange(5), np.arange(4)), axis=-1).reshape(-1, 2)[:17]
    return (grid * 24 + 10).astype(np.float32)


def bgr(color) -> tuple:
    return tuple(int(c) for c in color[::-1])


def test_visible_keypoints_get_their_colour_hidden_ones_nothing(metainfo):
    image = np.zeros((120, 120, 3), np.uint8)
    keypoints = spread_keypoints()
    visible = np.ones(17)
    visible[5] = 0
    canvas = draw_keypoints(image, keypoints, visible, metainfo, show_names=False)
    assert canvas.shape == (120, 120, 3) and canvas.dtype == np.uint8
    assert not image.any()  # the input is not drawn on
    for k, (x, y) in enumerate(keypoints.astype(int)):
        pixel = tuple(int(c) for c in canvas[y, x])
        if k == 5:
            assert pixel == (0, 0, 0)
        else:
            assert pixel == bgr(metainfo['keypoint_colors'][k])


def test_skeleton_links_are_drawn_only_between_visible_ends(metainfo):
    links = metainfo['skeleton_links']
    a, b = links[0]
    keypoints = spread_keypoints()
    keypoints[a], keypoints[b] = (20, 60), (100, 60)  # a horizontal link, alone on row 60
    others = [k for k in range(17) if k not in (a, b)]
    keypoints[others] = (110, 110)
    visible = np.zeros(17)
    visible[[a, b]] = 1
    canvas = draw_keypoints(np.zeros((120, 120, 3), np.uint8), keypoints, visible, metainfo,
                            show_names=False)
    # anti-aliased, so the line's centre row is within a few levels of the link colour
    np.testing.assert_allclose(canvas[60, 60], bgr(metainfo['skeleton_link_colors'][0]), atol=32)
    assert canvas[60, 60].any()
    assert not canvas[100:, 100:].any()  # hidden keypoints and their links: nothing drawn

    visible[b] = 0
    canvas = draw_keypoints(np.zeros((120, 120, 3), np.uint8), keypoints, visible, metainfo,
                            show_names=False)
    assert not canvas[60, 60].any()


def test_grayscale_input_and_heatmap_overlay(metainfo):
    gray = np.zeros((96, 128), np.uint8)
    heatmap = np.zeros((17, 24, 32), np.float32)
    heatmap[3, 6, 24] = 1.0  # peak at (x=24, y=6) of 32x24 -> about (98, 26) of 128x96
    canvas = draw_keypoints(gray, np.zeros((17, 2)), np.zeros(17), metainfo, heatmap=heatmap)
    assert canvas.shape == (96, 128, 3)
    blue, _, red = canvas[26, 98].astype(int)
    assert red > blue  # jet's hot end at the peak
    blue, _, red = canvas[80, 10].astype(int)
    assert blue > red  # jet's cold end elsewhere
