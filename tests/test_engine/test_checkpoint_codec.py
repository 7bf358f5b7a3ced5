from collections import OrderedDict

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

from mmpose_animal.engine.checkpoint_codec import decode_plain, encode_plain

PLAIN = (dict, list, tuple, str, int, float, bool, type(None), torch.Tensor, OrderedDict)


def assert_plain(obj):
    assert isinstance(obj, PLAIN), type(obj)
    if isinstance(obj, dict):
        for value in obj.values():
            assert_plain(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            assert_plain(value)


def test_round_trip_of_what_mmengine_stores():
    buffer = HistoryBuffer([1.0, 2.5], [1, 2], max_length=10)
    checkpoint = OrderedDict(
        meta=dict(dataset_meta=dict(sigmas=np.array([0.025, 0.035], np.float32),
                                    flip_indices=[1, 0],
                                    keypoint_colors=np.array([[255, 0, 0]], np.uint8)),
                  epoch=3),
        message_hub=dict(log_scalars=OrderedDict(loss=buffer),
                         runtime_info=dict(best_score=np.float64(0.75), iter=np.int64(12)),
                         resumed_keys=dict(loss=True)),
        state_dict=OrderedDict(weight=torch.ones(2)),
        pair=(np.float32(1.5), 'x'))
    encoded = encode_plain(checkpoint)
    assert_plain(encoded)
    decoded = decode_plain(encoded)
    sigmas = decoded['meta']['dataset_meta']['sigmas']
    assert sigmas.dtype == np.float32 and sigmas.tolist() == [0.02500000037252903,
                                                              0.03500000014901161]
    assert decoded['meta']['dataset_meta']['keypoint_colors'].dtype == np.uint8
    restored = decoded['message_hub']['log_scalars']['loss']
    assert isinstance(restored, HistoryBuffer)
    assert restored.data[0].tolist() == [1.0, 2.5] and restored.max_length == 10
    assert restored.mean() == buffer.mean()
    assert decoded['message_hub']['runtime_info'] == dict(best_score=0.75, iter=12)
    assert isinstance(decoded['state_dict'], OrderedDict)
    assert decoded['pair'] == (1.5, 'x')
