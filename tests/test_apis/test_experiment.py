"""A whole experiment: unreadable videos named while the others go on, a killed run resumed
from its saved chunks to the same points, slurm array shares, one summary."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest

from mmpose_animal.apis import SequenceInput, VideoLoop
from mmpose_animal.apis import experiment as experiment_module
from mmpose_animal.apis.experiment import (Experiment, read_results, run_experiment, shard,
                                           shard_from_environment, unique_stems)
from mmpose_animal.fileio import load_sequence


def write_video(path: str, frames: int, seed: int = 0) -> str:
    """A small MP4 of moving noise (any frames do for a random model)."""
    rng = np.random.default_rng(seed)
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 25, (96, 80))
    base = rng.integers(0, 255, (80, 96, 3), np.uint8)
    for index in range(frames):
        writer.write(np.roll(base, 2 * index, axis=1))
    writer.release()
    return path


@pytest.fixture
def videos(tmp_path):
    folder = tmp_path / 'videos'
    folder.mkdir()
    good = [write_video(str(folder / f'{name}.mp4'), count, seed)
            for seed, (name, count) in enumerate([('a', 12), ('b', 9)])]
    data = open(good[0], 'rb').read()
    (folder / 'cut.mp4').write_bytes(data[:len(data) // 3])  # stopped before its index
    (folder / 'empty.mp4').write_bytes(b'')
    return [SequenceInput(str(p), True) for p in sorted(folder.iterdir())]


def test_unreadable_videos_are_named_and_the_others_go_on(model, videos, tmp_path):
    out = str(tmp_path / 'out')
    os.makedirs(out)
    rows = run_experiment(videos, lambda: Experiment(VideoLoop(model), out, ['jsonl', 'dlc'],
                                                     overlay=False, plots=False), out)
    status = {osp.basename(row.source): row.status for row in rows}
    assert status == {'a.mp4': 'done', 'b.mp4': 'done', 'cut.mp4': 'failed',
                      'empty.mp4': 'failed'}
    reasons = {osp.basename(row.source): row.reason for row in rows}
    assert 'is an empty file (0 bytes)' in reasons['empty.mp4']
    assert 'cut short before its index was written' in reasons['cut.mp4']
    assert load_sequence(osp.join(out, 'a.sequence.npz')).num_frames == 12
    assert osp.isfile(osp.join(out, 'b.predictions.jsonl'))
    assert not os.listdir(osp.join(out, '.partial'))  # nothing half-written stays
    lines = open(osp.join(out, 'summary.csv')).read().splitlines()
    assert lines[0].startswith('source,stem,status,frames') and len(lines) == 5
    assert osp.isfile(osp.join(out, 'summary.png'))
    # a re-run skips what is done and tries the failed ones again
    again = run_experiment(videos, lambda: Experiment(VideoLoop(model), out, ['jsonl'],
                                                      overlay=False, plots=False), out)
    assert [row.status for row in again] == ['skipped', 'skipped', 'failed', 'failed']


def test_a_killed_run_resumes_from_its_last_chunk_to_the_same_points(model, tmp_path,
                                                                      monkeypatch):
    video = SequenceInput(write_video(str(tmp_path / 'long.mp4'), 23), True)
    whole = Experiment(VideoLoop(model), str(tmp_path / 'whole'), ['jsonl'], overlay=False,
                       plots=False, chunk_frames=5)
    os.makedirs(whole.out_dir)
    assert whole.run(video, 'long').status == 'done'
    expected = load_sequence(osp.join(whole.out_dir, 'long.sequence.npz'))

    out = str(tmp_path / 'killed')
    os.makedirs(out)
    predict = experiment_module.predict_chunks
    calls = []  # the first frame of each chunk predicted

    def recorded(*args, die_after=None, **kwargs):
        first = args[5]  # predict_chunks' start
        for chunk in predict(*args, **kwargs):
            if len(calls) == die_after:
                raise KeyboardInterrupt('killed')  # as a kill: not caught as a failed video
            calls.append(first)
            first += chunk.num_frames
            yield chunk
    monkeypatch.setattr(experiment_module, 'predict_chunks',
                        lambda *a, **k: recorded(*a, die_after=2, **k))
    killed = Experiment(VideoLoop(model), out, ['jsonl'], overlay=False, plots=False,
                        chunk_frames=5)
    with pytest.raises(KeyboardInterrupt):
        killed.run(video, 'long')
    assert not osp.exists(osp.join(out, 'long.done.json'))
    saved = sorted(os.listdir(osp.join(out, '.partial', 'long')))
    assert saved == ['chunk_0000000000.sequence.npz', 'chunk_0000000005.sequence.npz',
                     'identity.json']
    calls.clear()
    monkeypatch.setattr(experiment_module, 'predict_chunks', recorded)
    assert killed.run(video, 'long').status == 'done'
    assert calls == [10, 15, 20]  # only the chunks that were not saved
    resumed = load_sequence(osp.join(out, 'long.sequence.npz'))
    np.testing.assert_array_equal(resumed.keypoints, expected.keypoints)
    np.testing.assert_array_equal(resumed.scores, expected.scores)


def test_a_video_in_chunks_is_read_in_one_pass(model, tmp_path, monkeypatch):
    """Saving progress in chunks does not decode the video again for each chunk (a long
    video's chunk k would skip k chunks of frames first)."""
    from mmpose_animal.apis import video_prediction
    video = SequenceInput(write_video(str(tmp_path / 'long.mp4'), 23), True)
    read_video, starts = video_prediction.read_video, []
    monkeypatch.setattr(video_prediction, 'read_video',
                        lambda path, start=0: starts.append(start) or read_video(path, start))
    experiment = Experiment(VideoLoop(model), str(tmp_path / 'out'), ['jsonl'],
                            overlay=False, plots=False, chunk_frames=5)
    os.makedirs(experiment.out_dir)
    assert experiment.run(video, 'long').status == 'done'
    assert starts == [0, 0]  # the frame count, then one pass over the frames
    assert not osp.exists(osp.join(experiment.out_dir, '.partial', 'long'))  # done: gone
    assert load_sequence(osp.join(experiment.out_dir, 'long.sequence.npz')).num_frames == 23


def test_every_slurm_array_task_takes_its_share_and_every_video_is_taken_once():
    items = [SequenceInput(f'/data/{name}.mp4', True) for name in 'qwertyuiopasd']
    taken = []
    for task in range(3, 8):  # an array --array=3-7: five tasks
        share = shard_from_environment(dict(SLURM_ARRAY_TASK_ID=str(task),
                                            SLURM_ARRAY_TASK_MIN='3', SLURM_ARRAY_TASK_MAX='7',
                                            SLURM_ARRAY_TASK_COUNT='5'))
        assert share == (task - 3, 5)
        taken += [item.source for item in shard(items, *share)]
    assert sorted(taken) == sorted(item.source for item in items)  # each exactly once
    assert shard_from_environment({}) is None
    with pytest.raises(ValueError, match='shard 5/5'):
        shard(items, 5, 5)


def test_videos_of_one_name_keep_apart():
    items = [SequenceInput('/exp/day1/mouse.mp4', True), SequenceInput('/exp/day2/mouse.mp4',
                                                                       True),
             SequenceInput('/exp/day2/rat.mp4', True)]
    assert unique_stems(items) == {'/exp/day1/mouse.mp4': 'day1_mouse',
                                   '/exp/day2/mouse.mp4': 'day2_mouse',
                                   '/exp/day2/rat.mp4': 'rat'}


def test_results_of_several_tasks_make_one_summary(tmp_path):
    for stem, status in (('a', 'done'), ('b', 'failed')):
        (tmp_path / f'{stem}.{status}.json').write_text(json.dumps(dict(
            source=f'/v/{stem}.mp4', stem=stem, status=status, frames=3)))
    rows = read_results(str(tmp_path))
    assert [(r.stem, r.status) for r in rows] == [('a', 'done'), ('b', 'failed')]
