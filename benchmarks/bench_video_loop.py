"""A video's loop on real data: predict, filter, score, write; then pick frames to label.

With a model trained on the real Openfield project (the README's own-animal walkthrough), on
its real 2,330-frame video:

1. predict (onnxruntime, batched), post-process (the default steps), score every frame, and
   write jsonl + DeepLabCut raw and filtered: frames/s end to end and the share of
   post-processing and scoring;
2. the default filter's effect: frame-to-frame jitter (median absolute second difference per
   keypoint) of raw and filtered points, and how far filtered points move on confident frames;
3. a copy of the video with broken frames (one black, one upside down): are they picked by
   ``tools/label_next.py``'s selection, and does the filtered trajectory bridge them;
4. the loop's other steps: pick frames, add them to a copy of the DeepLabCut project as a
   labelling job, and, once labelled (here the guesses are accepted as they are, as
   DeepLabCut's refine and merge would store them: the lab's own time is not counted),
   re-import with ``--update`` and retrain ``--retrain-epochs`` from the model.

    python benchmarks/bench_video_loop.py work_dirs/mouse/mouse.py work_dirs/mouse/run/best.pth

Writes benchmarks/results/video_loop.{json,md}.
"""
import argparse
import copy
import os
import os.path as osp
import shutil
import sys
import time

import cv2
import numpy as np
import pandas as pd
from mmengine.config import Config
from mmengine.runner import Runner

from mmpose_animal.apis import (SequenceInput, VideoLoop, fuse_for_inference,
                                load_pose_model)
from mmpose_animal.apis.onnx_export import export_onnx, use_onnxruntime
from mmpose_animal.data_tools.config_writer import make_config
from mmpose_animal.engine import stop_data_workers
from mmpose_animal.fileio import load_sequence, read_selected, read_video
from mmpose_animal.fileio.deeplabcut import read_project_config
from mmpose_animal.fileio.labels import read_labels, write_dataset
from mmpose_animal.fileio.prediction_files import write_jsonl
from mmpose_animal.labelling.labelling_jobs import write_dlc_job
from mmpose_animal.postprocessing import apply_steps, default_steps, describe_steps
from mmpose_animal.structures import PoseSequence
from common import DEFAULT_SOURCE, ROOT, jitter, machine, markdown_table, write_results

BROKEN = {500: 'black frame', 1500: 'upside down'}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--video', default=osp.join(DEFAULT_SOURCE, 'videos', 'm3v1mp4.mp4'))
    parser.add_argument('--num', type=int, default=20, help='frames to pick')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--source', default=DEFAULT_SOURCE,
                        help='the DeepLabCut project the model was trained on')
    parser.add_argument('--retrain-epochs', type=int, default=20)
    parser.add_argument('--compare', help='saved raw predictions (.sequence.npz) of another '
                        'model on the same video: how much of the filtered jitter both see')
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_video_loop'))
    return parser.parse_args()


def broken_copy(video: str, path: str) -> str:
    """``video`` with the frames of :data:`BROKEN` replaced (black, upside down)."""
    frames, _, fps = read_video(video)
    writer = None
    for index, frame in enumerate(frames):
        if writer is None:
            writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), fps or 30.0,
                                     frame.shape[1::-1])
        if index in BROKEN:
            frame = np.zeros_like(frame) if BROKEN[index] == 'black frame' else frame[::-1]
        writer.write(frame)
    writer.release()
    return path


def accept_guesses(project: str, stem: str) -> None:
    """Store the machine labels of ``labeled-data/<stem>`` as the lab's labels
    (``CollectedData_<scorer>.h5``), as DeepLabCut's refine and merge would."""
    folder = osp.join(project, 'labeled-data', stem)
    machine_file = next(f for f in os.listdir(folder) if f.startswith('machinelabels-iter'))
    guesses = pd.read_hdf(osp.join(folder, machine_file), key='df_with_missing')
    labels = guesses.drop(columns='likelihood', level='coords')
    scorer = read_project_config(project)['scorer']
    labels.columns = labels.columns.set_levels([scorer], level='scorer')
    labels.to_hdf(osp.join(folder, f'CollectedData_{scorer}.h5'), key='df_with_missing',
                  mode='w')


def relabel_and_retrain(args, sequence, chosen, images, work: str) -> list:
    """The loop's second half on a copy of the project: job, re-import, retrain (times)."""
    project, data = osp.join(work, 'project'), osp.join(work, 'data')
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(args.source, project, ignore=shutil.ignore_patterns('videos', '*.h5'))
    write_dataset(read_labels(project), data, link=True, seed=0)  # the earlier round
    start = time.perf_counter()
    write_dlc_job(sequence, chosen, images, project)
    job_s = time.perf_counter() - start
    accept_guesses(project, sequence.stem)
    start = time.perf_counter()
    summary = write_dataset(read_labels(project), data, link=True, seed=0, update=True)
    import_s = time.perf_counter() - start
    config = osp.join(work, 'retrain.py')
    with open(config, 'w') as file:
        file.write(make_config(data, config, max_epochs=args.retrain_epochs,
                               load_from=args.checkpoint))
    cfg = Config.fromfile(config)
    cfg.work_dir = osp.join(work, 'retrain')
    start = time.perf_counter()
    runner = Runner.from_cfg(cfg)
    runner.train()
    stop_data_workers(runner)
    retrain_s = time.perf_counter() - start
    frames = summary.splits['train']['frames']
    return [[f'add {len(chosen)} frames to the DeepLabCut project', job_s],
            [f're-import with --update ({frames} train frames)', import_s],
            [f'retrain {args.retrain_epochs} epochs from the model', retrain_s]]


def shared_motion(ours: PoseSequence, ours_filtered: PoseSequence,
                  other: PoseSequence) -> list:
    """Per keypoint, after the default steps (``ours_filtered``: ``ours`` through them): the
    correlation of the two models' second differences (raw and filtered), the median size of
    the part they share (filtered) and of the part they disagree on (raw, filtered, ratio;
    px). What two independently trained models agree on is the animal's motion; what they
    disagree on, noise."""
    filtered = (ours_filtered, apply_steps(other, default_steps(other)))
    rows = []
    for k, name in enumerate(ours.keypoint_names):
        raw_a, raw_b = (np.diff(s.keypoints[:, 0, k], n=2, axis=0) for s in (ours, other))
        a, b = (np.diff(s.keypoints[:, 0, k], n=2, axis=0) for s in filtered)
        both = np.isfinite(a).all(1) & np.isfinite(b).all(1) & np.isfinite(raw_a).all(1) \
            & np.isfinite(raw_b).all(1)
        raw_noise = np.median(np.linalg.norm(raw_a[both] - raw_b[both], axis=1) / 2)
        noise = np.median(np.linalg.norm(a[both] - b[both], axis=1) / 2)
        rows.append([name, float(np.corrcoef(raw_a[both].ravel(), raw_b[both].ravel())[0, 1]),
                     float(np.corrcoef(a[both].ravel(), b[both].ravel())[0, 1]),
                     float(np.median(np.linalg.norm(a[both] + b[both], axis=1) / 2)),
                     float(raw_noise), float(noise), float(raw_noise / noise)])
    return rows


def run_loop(loop: VideoLoop, video: str, out_dir: str) -> dict:
    """Predict, post-process, score and write one video; times and the analysis."""
    os.makedirs(out_dir, exist_ok=True)
    item = SequenceInput(video, True)
    start = time.perf_counter()
    raw = loop.predict(item)
    predicted = time.perf_counter()
    analysis = loop.analyse(item, raw=raw)
    analysed = time.perf_counter()
    write_jsonl(analysis.raw, osp.join(out_dir, 'predictions.jsonl'), analysis.filtered)
    loop.write(analysis, out_dir, ['dlc'], overlay=False, plots=False)
    written = time.perf_counter()
    return dict(analysis=analysis, steps=analysis.steps, predict_s=predicted - start,
                post_s=analysed - predicted, write_s=written - analysed,
                total_s=written - start)


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    model = fuse_for_inference(load_pose_model(args.config, args.checkpoint))
    input_size = tuple(model.cfg.codec.input_size)
    onnx_file = export_onnx(model, osp.join(args.work_dir, 'model.onnx'), input_size,
                            dynamic_batch=True)
    model = use_onnxruntime(copy.deepcopy(model), onnx_file)
    loop = VideoLoop(model, batch_size=args.batch_size)
    info = machine()

    real = run_loop(loop, args.video, osp.join(args.work_dir, 'real'))
    raw, filtered = real['analysis'].raw, real['analysis'].filtered
    frames = raw.num_frames
    threshold = real['analysis'].threshold
    raw_jitter, filtered_jitter = jitter(raw.keypoints[:, 0]), jitter(filtered.keypoints[:, 0])
    confident = (raw.scores[:, 0] >= threshold).all(-1)
    moved = np.linalg.norm(filtered.keypoints[confident, 0] - raw.keypoints[confident, 0],
                           axis=-1)

    broken_video = broken_copy(args.video, osp.join(args.work_dir, 'broken.mp4'))
    broken = run_loop(loop, broken_video, osp.join(args.work_dir, 'broken'))
    analysis = broken['analysis']
    pick_start = time.perf_counter()
    picks = loop.pick([analysis], args.num)
    picked_s = time.perf_counter() - pick_start
    chosen = sorted(p.frame for p in picks)
    wanted = set(chosen)
    images = dict(read_selected(read_video(broken_video)[0], chosen))
    loop_times = relabel_and_retrain(args, analysis.raw, chosen, images,
                                     osp.join(args.work_dir, 'relabel'))
    bridge = {}
    for index, kind in BROKEN.items():
        neighbours = analysis.filtered.keypoints[[index - 2, index + 2], 0]
        bridge[kind] = dict(
            picked=index in wanted or any(abs(f - index) <= 1 for f in chosen),
            filtered_present=bool(np.isfinite(analysis.filtered.keypoints[index, 0]).all()),
            distance_to_neighbours_px=float(np.nanmax(np.linalg.norm(
                analysis.filtered.keypoints[index, 0] - neighbours.mean(0), axis=-1))),
            raw_min_score=float(np.nanmin(analysis.raw.scores[index, 0])),
            outlier_rank=int((analysis.quality['outlier'] > analysis.quality['outlier'][index])
                             .sum()) + 1)

    names = raw.keypoint_names
    rows = [[name, float(raw_jitter[k]), float(filtered_jitter[k]),
             float(raw_jitter[k] / max(filtered_jitter[k], 1e-9)),
             float(np.median(moved[:, k])) if len(moved) else float('nan')]
            for k, name in enumerate(names)]
    timing = [['predict (onnxruntime, batch %d)' % args.batch_size, real['predict_s']],
              ['post-process + score', real['post_s']],
              ['write jsonl + DLC raw / filtered + quality + npz', real['write_s']],
              ['end to end', real['total_s']],
              ['pick %d frames (broken copy)' % args.num, picked_s], *loop_times]
    fps = frames / real['total_s']
    post_share = real['post_s'] / real['total_s']
    results = dict(machine=info, video=osp.relpath(args.video, ROOT), frames=frames,
                   steps=describe_steps(real['steps']), frames_per_s=fps,
                   post_share=post_share, jitter=rows, timing=timing, bridge=bridge,
                   picks=[dict(frame=p.frame, outlier=p.outlier, reason=p.reason)
                          for p in picks],
                   confident_frames=int(confident.sum()))
    markdown = (
        f'# A video\'s loop on real data (Openfield mouse)\n\n`python benchmarks/'
        f'bench_video_loop.py {" ".join(sys.argv[1:])}` on {info["cpu"]} '
        f'({info["cores"]} cores, torch {info["torch"]}): {frames} frames of '
        f'{osp.basename(args.video)}, onnxruntime, default steps {describe_steps(real["steps"])}.'
        f'\n\n**{fps:.1f} frames/s end to end** (predict + post-process + score + write); '
        f'post-processing and scoring {100 * post_share:.1f} % of it.\n\n'
        + markdown_table(['step', 'seconds'], timing)
        + '\n\nJitter (median |second difference| per keypoint, px) and the median move of '
        f'filtered points on the {int(confident.sum())} frames where every point scores at '
        f'least {threshold:g}:\n\n'
        + markdown_table(['keypoint', 'raw jitter', 'filtered jitter', 'ratio',
                          'median move, confident frames (px)'], rows)
        + '\n\nBroken frames in a copy of the video (picked among '
        f'{args.num} frames to label?, the filtered trajectory there):\n\n'
        + markdown_table(['frame', 'picked', 'outlier rank', 'raw min score',
                          'filtered present', 'max distance to frames +-2 (px)'],
                         [[f'{i} ({k})', bridge[k]['picked'], bridge[k]['outlier_rank'],
                           bridge[k]['raw_min_score'], bridge[k]['filtered_present'],
                           bridge[k]['distance_to_neighbours_px']]
                          for i, k in BROKEN.items()]) + '\n')
    if args.compare:
        shared = shared_motion(raw, filtered, load_sequence(args.compare))
        results['shared_motion'] = dict(other=args.compare, rows=shared)
        markdown += (
            f'\nHow much of the filtered jitter is the animal\'s motion: second differences of '
            f'these points against those of another model ({osp.basename(args.compare)}), '
            f'both through the default steps. Both models see the motion; their disagreement '
            f'is noise:\n\n'
            + markdown_table(['keypoint', 'correlation, raw', 'correlation, filtered',
                              'median shared, filtered (px)', 'median disagreement, raw (px)',
                              'filtered (px)', 'noise cut'], shared) + '\n')
    print(markdown)
    write_results('video_loop', results, markdown)


if __name__ == '__main__':
    main()
