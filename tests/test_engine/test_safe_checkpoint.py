"""Checkpoints written by our runs reload with torch.load(weights_only=True)."""
import os
import os.path as osp
import pickle

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner, load_checkpoint

from mmpose_animal.engine import CheckpointLoadError, load_local_checkpoint


class RecordFirstIter(Hook):
    def __init__(self):
        self.first = None

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if self.first is None:
            self.first = (runner.epoch, runner.iter)


def make_runner(config_path, work_dir, plain_checkpoints=True, **overrides):
    cfg = Config.fromfile(config_path)
    cfg.work_dir = str(work_dir)
    cfg.merge_from_dict(overrides)
    if not plain_checkpoints:  # a run of stock mmengine
        cfg.default_hooks.pop('plain_checkpoint')
    return Runner.from_cfg(cfg)


def test_round_trip_load_from_and_resume(tiny_fly_config, tmp_path):
    config = tiny_fly_config(max_epochs=1)
    work_dir = tmp_path / 'work'
    runner = make_runner(config, work_dir)
    runner.train()
    checkpoint_path = str(work_dir / 'epoch_1.pth')
    trained = {k: v.clone() for k, v in runner.model.state_dict().items()}

    # the file loads with the safe unpickler and nothing allow-listed
    raw = torch.load(checkpoint_path, weights_only=True)
    assert {'meta', 'state_dict', 'message_hub', 'optimizer', 'param_schedulers'} <= set(raw)
    assert raw['meta']['epoch'] == 1 and raw['meta']['iter'] == 4  # 32 images / batch 8

    # load_from for testing: the test runner sees the trained weights
    tester = make_runner(config, tmp_path / 'test', load_from=checkpoint_path)
    metrics = tester.test()
    assert {'PCK', 'AUC', 'EPE', 'dist/mean'} <= set(metrics)
    for key, value in tester.model.state_dict().items():
        torch.testing.assert_close(value, trained[key])

    # resume continues after the saved epoch and iteration, with the numpy metadata back
    resumed = make_runner(config, work_dir, resume=True, load_from=checkpoint_path,
                          train_cfg=dict(max_epochs=2))
    first = RecordFirstIter()
    resumed.register_hook(first)
    resumed.train()
    assert first.first == (1, 4)
    assert resumed.epoch == 2 and resumed.iter == 8
    loaded = load_local_checkpoint(str(work_dir / 'epoch_2.pth'))
    assert loaded['meta']['dataset_meta']['sigmas'].shape == (17,)
    assert len(loaded['message_hub']['log_scalars']['train/loss'].data[0]) > 0


def test_a_run_of_stock_mmengine_resumes_and_loads(tiny_fly_config, tmp_path):
    """Without PlainCheckpointHook, mmengine pickles numpy and history buffers: such a run
    still resumes (training state and all) and its weights still load."""
    config = tiny_fly_config(max_epochs=1)
    work_dir = tmp_path / 'stock'
    runner = make_runner(config, work_dir, plain_checkpoints=False)
    runner.train()
    checkpoint_path = str(work_dir / 'epoch_1.pth')
    trained = {k: v.clone() for k, v in runner.model.state_dict().items()}
    with pytest.raises(pickle.UnpicklingError):  # really a stock file
        torch.load(checkpoint_path, weights_only=True)

    tester = make_runner(config, tmp_path / 'test', load_from=checkpoint_path)
    tester.test()
    for key, value in tester.model.state_dict().items():
        torch.testing.assert_close(value, trained[key])

    resumed = make_runner(config, work_dir, plain_checkpoints=False, resume=True,
                          load_from=checkpoint_path, train_cfg=dict(max_epochs=2))
    first = RecordFirstIter()
    resumed.register_hook(first)
    resumed.train()
    assert first.first == (1, 4)
    assert resumed.epoch == 2 and resumed.iter == 8
    hub = resumed.message_hub.log_scalars['train/loss']
    assert len(hub.data[0]) == 8  # the history of epoch 1 came back with the resume

class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def test_malicious_checkpoint_is_refused_without_running_it(tmp_path):
    marker = tmp_path / 'pwned'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, meta=dict(note=Payload(marker))), path)
    with pytest.raises(CheckpointLoadError, match=r'refused to load checkpoint .*evil.pth: it '
                                                  r'asks the unpickler for posix.system, .*'
                                                  r'nothing in it was executed'):
        load_local_checkpoint(path)
    # mmengine's own entry point goes through the same loader
    with pytest.raises(CheckpointLoadError, match='refused to load checkpoint'):
        load_checkpoint(torch.nn.Linear(1, 1), path)
    assert not marker.exists()


def test_plain_pickle_with_a_payload_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'legacy.pth'
    path.write_bytes(pickle.dumps(dict(x=Payload(marker))))  # an old-style, non-zip file
    with pytest.raises(CheckpointLoadError):
        load_local_checkpoint(str(path))
    assert not marker.exists()


@pytest.mark.parametrize('content', [b'', b'\x00garbage', None])
def test_corrupt_checkpoint_is_a_clear_error(tmp_path, content):
    path = tmp_path / 'bad.pth'
    if content is None:  # a real checkpoint cut in half
        torch.save(dict(state_dict=dict(w=torch.ones(1000))), path)
        data = path.read_bytes()
        path.write_bytes(data[:len(data) // 2])
    else:
        path.write_bytes(content)
    with pytest.raises(CheckpointLoadError, match=r'bad.pth is corrupt or not a torch '
                                                  r'checkpoint'):
        load_local_checkpoint(str(path))


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'checkpoint .*nope.pth does not exist'):
        load_local_checkpoint(osp.join(str(tmp_path), 'nope.pth'))


def zoo_like_checkpoint(path, model, with_message_hub):
    """What stock mmengine / mmpose (the model zoo) writes: numpy in meta, and history
    buffers in message_hub when training state is kept."""
    import numpy as np
    from mmengine.logging import MessageHub
    checkpoint = dict(
        state_dict=model.state_dict(),
        meta=dict(epoch=3, iter=30, dataset_meta=dict(
            sigmas=np.array([0.025, 0.035], dtype=np.float32), flip_indices=[1, 0],
            keypoint_colors=np.array([[255, 0, 0], [0, 255, 0]], dtype=np.uint8)),
            best_score=np.float64(0.75)))
    if with_message_hub:
        hub = MessageHub.get_instance(f'zoo_{osp.basename(str(path))}')
        for value in (0.5, 0.4, 0.3):
            hub.update_scalar('train/loss', value)
        checkpoint['message_hub'] = hub.state_dict()
    torch.save(checkpoint, path)  # plain torch.save: no PlainCheckpointHook
    return str(path)


@pytest.mark.parametrize('with_message_hub', [False, True])
def test_stock_mmengine_checkpoints_load_with_identical_weights(tmp_path, with_message_hub):
    from mmengine.registry import init_default_scope
    from mmpose.registry import MODELS
    init_default_scope('mmpose')
    source = MODELS.build(dict(type='ResNet', depth=18))
    path = zoo_like_checkpoint(tmp_path / 'zoo.pth', source, with_message_hub)

    from mmengine.logging import HistoryBuffer
    registry = dict(HistoryBuffer._statistics_methods)
    loaded = load_local_checkpoint(path)
    assert HistoryBuffer._statistics_methods == registry  # later runs still log
    assert loaded['meta']['dataset_meta']['sigmas'].dtype == 'float32'
    assert float(loaded['meta']['best_score']) == 0.75
    if with_message_hub:
        buffer = loaded['message_hub']['log_scalars']['train/loss']
        assert buffer.mean() == pytest.approx(0.4) and buffer.current() == pytest.approx(0.3)

    def same_weights(model):
        for key, value in source.state_dict().items():
            assert torch.equal(model.state_dict()[key], value), key

    target = MODELS.build(dict(type='ResNet', depth=18))
    load_checkpoint(target, path, strict=True)  # mmengine's entry point
    same_weights(target)
    pretrained = MODELS.build(dict(type='ResNet', depth=18, init_cfg=dict(
        type='Pretrained', checkpoint=path)))
    pretrained.init_weights()  # init_cfg=Pretrained
    same_weights(pretrained)
