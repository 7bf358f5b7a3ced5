import json

import numpy as np
import pytest

from mmpose.registry import METRICS


def sample(pred, gt, visible, bbox=(0, 0, 30, 40), scores=None):
    pred = np.asarray(pred, dtype=np.float32)[None]
    return dict(
        img_path='a.png', id=0,
        pred_instances=dict(keypoints=pred,
                            keypoint_scores=np.ones(pred.shape[:2]) if scores is None
                            else np.asarray(scores)[None]),
        gt_instances=dict(keypoints=np.asarray(gt, dtype=np.float32)[None],
                          keypoints_visible=np.asarray(visible, dtype=np.float32)[None],
                          bboxes=np.asarray(bbox, dtype=np.float32)[None]))


def test_distance_statistics_in_pixels_with_names():
    metric = METRICS.build(dict(type='KeypointDistanceMetric'))
    metric.dataset_meta = dict(keypoint_id2name={0: 'nose', 1: 'ear'})
    metric.process([], [sample([[3, 4], [0, 0]], [[0, 0], [0, 1]], [1, 1]),
                        sample([[0, 6], [9, 9]], [[0, 0], [0, 0]], [1, 0])])
    results = metric.evaluate(2)
    # visible distances: 5, 1, 6 (the second sample's ear is invisible)
    assert results['dist/min'] == 1.0 and results['dist/max'] == 6.0
    assert results['dist/mean'] == pytest.approx(4.0)
    assert results['dist/median'] == 5.0
    assert results['dist/std'] == pytest.approx(np.std([5, 1, 6]))
    assert results['dist/mean_nose'] == pytest.approx(5.5)
    assert results['dist/mean_ear'] == pytest.approx(1.0)
    assert results['dist/mean_norm'] == pytest.approx(4.0 / 50.0)  # 30x40 box -> diagonal 50


def test_prediction_dump_writes_every_record(tmp_path):
    out = tmp_path / 'sub' / 'predictions.json'
    metric = METRICS.build(dict(type='KeypointPredictionDump', out_file=str(out)))
    metric.process([], [sample([[3, 4]], [[0, 0]], [1], scores=[0.7])])
    assert metric.evaluate(1) == {}
    records = json.loads(out.read_text())
    assert records == [dict(img_path='a.png', id=0, keypoints=[[3.0, 4.0]],
                            keypoint_scores=[0.7], gt_keypoints=[[0.0, 0.0]], gt_visible=[1.0],
                            bbox=[0.0, 0.0, 30.0, 40.0])]


def test_prediction_dump_needs_a_json_name():
    with pytest.raises(ValueError, match='out_file must end with .json'):
        METRICS.build(dict(type='KeypointPredictionDump', out_file='p.pkl'))


def test_error_with_p_cutoff_leaves_out_unsure_points():
    metric = METRICS.build(dict(type='KeypointDistanceMetric', score_cut=0.5))
    # distances 5 (score 0.9), 1 (0.2: under the cut), 6 (0.6), and an invisible point
    metric.process([], [sample([[3, 4], [0, 0]], [[0, 0], [0, 1]], [1, 1], scores=[0.9, 0.2]),
                        sample([[0, 6], [9, 9]], [[0, 0], [0, 0]], [1, 0], scores=[0.6, 0.1])])
    results = metric.evaluate(2)
    assert results['dist/mean_pcutoff'] == pytest.approx(5.5)
    assert results['dist/max_pcutoff'] == 6.0
    assert results['dist/cut_share'] == pytest.approx(1 / 3)
    assert results['dist/mean'] == pytest.approx(4.0)  # the plain error keeps every point


def test_every_point_under_the_cut_gives_no_p_cutoff_error():
    metric = METRICS.build(dict(type='KeypointDistanceMetric'))
    metric.process([], [sample([[3, 4]], [[0, 0]], [1], scores=[0.1])])
    results = metric.evaluate(1)
    assert np.isnan(results['dist/mean_pcutoff']) and results['dist/cut_share'] == 1.0


def test_score_cut_out_of_range_is_refused():
    with pytest.raises(ValueError, match=r'score_cut must be in \[0, 1\)'):
        METRICS.build(dict(type='KeypointDistanceMetric', score_cut=1.5))
