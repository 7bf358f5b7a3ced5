"""A lab's whole experiment on real video: points that do not depend on history, a folder of
clips with broken files, throughput, and runs killed and resumed.

With a model trained on the real Openfield project (the crop default) and its real
2,330-frame recording:

1. history: the video re-encoded as it is, and re-encoded with ten frames disturbed in three
   groups (4 upside down, 3 black, 3 of noise), both with an intra-frame codec (MJPG: each
   frame coded alone, so the undisturbed frames of the two copies are the same pictures;
   with mp4v's motion prediction most of them would differ by up to 25 grey levels); on the
   undisturbed frames, the share whose points lie within 1 px of the clean copy's; how many
   frames after each disturbance a keypoint stays lost (more than 1 px from the clean copy,
   or under the confidence cut where the clean copy's is not);
   whether ``label_next`` (20 frames) picks every disturbed group;
2. a folder of the video cut into 20 clips plus 2 unreadable files (a recording cut short,
   an empty file) through ``tools/infer.py`` (one process, then ``--workers 2``): every clip
   analysed, both broken files named, and the throughput (all clips' frames over the whole
   run, start-up included) against the frames/s of the one whole video;
3. the folder run killed (SIGKILL) three times at random moments of its work and resumed
   each time: the final files against those of an uninterrupted run.

    python benchmarks/bench_experiment.py CONFIG CHECKPOINT [--onnx MODEL.onnx]

Writes benchmarks/results/experiment.{json,md}.
"""
import argparse
import glob
import json
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys
import time

import cv2
import numpy as np

from mmpose_animal.apis import SequenceInput, VideoLoop, fuse_for_inference, load_pose_model
from mmpose_animal.fileio import load_sequence, read_video
from common import DEFAULT_SOURCE, ROOT, machine, markdown_table, write_results

VIDEO = osp.join(DEFAULT_SOURCE, 'videos', 'm3v1mp4.mp4')
DISTURBED = {'upside down': range(300, 304), 'black': range(900, 903),
             'noise': range(1500, 1503)}
CLIPS = 20
CHUNKS = ('--chunk-frames', '50')  # the killed runs save every 50 frames: kills land mid-clip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--onnx', help='run the network with onnxruntime (tools/export_onnx.py)')
    parser.add_argument('--kills', type=int, default=3)
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs', 'bench_experiment'))
    return parser.parse_args()


def reencode(path: str, disturb: bool) -> str:
    """The real video written again (MJPG), with the frames of :data:`DISTURBED` changed."""
    frames, _, fps = read_video(VIDEO)
    rng = np.random.default_rng(0)
    writer = None
    for index, frame in enumerate(frames):
        if writer is None:
            writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'MJPG'), fps or 30.0,
                                     frame.shape[1::-1])
        kind = next((k for k, r in DISTURBED.items() if index in r), None) if disturb else None
        if kind == 'upside down':
            frame = frame[::-1].copy()
        elif kind == 'black':
            frame = np.zeros_like(frame)
        elif kind == 'noise':
            frame = rng.integers(0, 255, frame.shape, np.uint8)
        writer.write(frame)
    writer.release()
    return path


def history(loop: VideoLoop, work: str) -> dict:
    clean_video = reencode(osp.join(work, 'clean.avi'), False)
    disturbed_video = reencode(osp.join(work, 'disturbed.avi'), True)
    clean = loop.analyse(SequenceInput(clean_video, True))
    start = time.perf_counter()
    disturbed = loop.analyse(SequenceInput(disturbed_video, True))
    seconds = time.perf_counter() - start
    a, b = clean.raw.keypoints[:, 0], disturbed.raw.keypoints[:, 0]
    distance = np.linalg.norm(a - b, axis=-1).max(-1)  # (T,) worst keypoint
    hit = np.zeros(len(distance), bool)
    for frames in DISTURBED.values():
        hit[list(frames)] = True
    same = float((distance[~hit] <= 1.0).mean())
    identical = [np.array_equal(a, b) for (a, b) in zip(read_video(clean_video)[0],
                                                         read_video(disturbed_video)[0])]
    lost_after = {}
    for kind, frames in DISTURBED.items():
        after = list(range(frames[-1] + 1, frames[-1] + 31))
        # lost through the disturbance: moved, or under the cut where the clean copy is not
        under = disturbed.raw.scores[after, 0] < disturbed.threshold
        lost = (distance[after] > 1.0) | (under & ~(clean.raw.scores[after, 0]
                                                     < clean.threshold)).any(-1)
        lost_after[kind] = int(np.argmin(lost)) if not lost.all() else len(after)
    picks = loop.pick([disturbed], num=20)
    chosen = sorted(p.frame for p in picks)
    picked = {kind: any(f in frames for f in chosen) for kind, frames in DISTURBED.items()}
    return dict(frames=int(len(distance)), undisturbed_within_1px=same,
                undisturbed_identical_pictures=float(np.mean(np.array(identical)[~hit])),
                max_undisturbed_px=float(distance[~hit].max()),
                frames_lost_after=lost_after, picked=picked, picks=chosen,
                frames_per_s=len(distance) / seconds)


def clip_folder(work: str) -> str:
    """The real video cut into :data:`CLIPS` clips, and two unreadable files."""
    folder = osp.join(work, 'clips')
    if osp.isdir(folder):
        return folder
    os.makedirs(folder)
    frames, count, fps = read_video(VIDEO)
    size = int(np.ceil(count / CLIPS))
    writer = None
    for index, frame in enumerate(frames):
        if index % size == 0:
            if writer is not None:
                writer.release()
            writer = cv2.VideoWriter(osp.join(folder, f'clip{index // size:02d}.mp4'),
                                     cv2.VideoWriter_fourcc(*'mp4v'), fps or 30.0,
                                     frame.shape[1::-1])
        writer.write(frame)
    writer.release()
    data = open(osp.join(folder, 'clip00.mp4'), 'rb').read()
    with open(osp.join(folder, 'zz_cut_short.mp4'), 'wb') as file:
        file.write(data[:len(data) // 2])
    open(osp.join(folder, 'zz_empty.mp4'), 'wb').close()
    return folder


def infer_command(args, inputs: str, out: str, *extra: str) -> list:
    command = [sys.executable, osp.join(ROOT, 'tools', 'infer.py'), args.config, args.checkpoint,
               inputs, '--out-dir', out, '--format', 'jsonl', 'dlc', '--no-overlay',
               '--no-plots', *extra]
    return command + (['--backend', 'onnxruntime', '--onnx', args.onnx] if args.onnx else [])


def folder_run(args, folder: str, out: str, *extra: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = subprocess.run(infer_command(args, folder, out, *extra), capture_output=True,
                            text=True)
    seconds = time.perf_counter() - start
    rows = [json.load(open(p)) for p in glob.glob(osp.join(out, '*.done.json'))]
    failed = [json.load(open(p)) for p in glob.glob(osp.join(out, '*.failed.json'))]
    frames = sum(row['frames'] for row in rows)
    return dict(exit_status=result.returncode, done=len(rows), failed=len(failed),
                failed_reasons=[f['reason'] for f in failed], frames=frames, seconds=seconds,
                frames_per_s=frames / seconds,
                clip_seconds=sum(row['seconds'] for row in rows),
                last_line=result.stdout.strip().splitlines()[-1] if result.stdout else '')


def killed_and_resumed(args, folder: str, out: str, reference: str, kills: int) -> dict:
    """Kill the folder run ``kills`` times (SIGKILL) at random moments of its work (after
    1-3 more clips are done, so every kill lands mid-run, often mid-clip), resuming each
    time; then let it finish and compare every clip's predictions with the uninterrupted
    run's."""
    shutil.rmtree(out, ignore_errors=True)
    rng = np.random.default_rng(0)
    moments = []

    def done() -> int:
        return len(glob.glob(osp.join(out, '*.done.json')))
    for _ in range(kills):
        before, more = done(), int(rng.integers(1, 4))
        start = time.perf_counter()
        job = subprocess.Popen(infer_command(args, folder, out, *CHUNKS),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        while done() < before + more and job.poll() is None:
            time.sleep(0.05)
        time.sleep(float(rng.uniform(0.2, 1.0)))  # somewhere into the next clip
        os.killpg(job.pid, signal.SIGKILL)
        job.wait()
        chunks = len(glob.glob(osp.join(out, '.partial', '*', 'chunk_*.npz')))
        moments.append(dict(after_s=round(time.perf_counter() - start, 1), clips_done=done(),
                            chunks_saved=chunks))
    subprocess.run(infer_command(args, folder, out, *CHUNKS), capture_output=True)
    differences, identical_files = [], 0
    for path in sorted(glob.glob(osp.join(reference, '*.sequence.npz'))):
        name = osp.basename(path)
        a, b = load_sequence(path), load_sequence(osp.join(out, name))
        differences.append(float(np.nanmax(np.abs(a.keypoints - b.keypoints))))
        csv = name.replace('.sequence.npz', '_mmpose-animal_filtered.csv')
        identical_files += open(osp.join(reference, csv)).read() == \
            open(osp.join(out, csv)).read()
    return dict(kills=moments, clips=len(differences), max_difference_px=max(differences),
                identical_filtered_csv=identical_files)


def main() -> None:
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    info = machine()
    model = load_pose_model(args.config, args.checkpoint)
    if args.onnx:
        from mmpose_animal.apis.onnx_export import use_onnxruntime
        use_onnxruntime(model, args.onnx)
    else:
        fuse_for_inference(model)
    loop = VideoLoop(model)
    start = time.perf_counter()
    whole = loop.analyse(SequenceInput(VIDEO, True))
    single_fps = whole.raw.num_frames / (time.perf_counter() - start)
    results = dict(machine=info, single_video_frames_per_s=single_fps,
                   history=history(loop, args.work_dir))
    folder = clip_folder(args.work_dir)
    results['folder'] = folder_run(args, folder, osp.join(args.work_dir, 'out'))
    results['folder_2_workers'] = folder_run(args, folder, osp.join(args.work_dir, 'out2'),
                                             '--workers', '2')
    for key in ('folder', 'folder_2_workers'):
        results[key]['vs_single_video'] = results[key]['frames_per_s'] / single_fps
    # start-up amortised: one process's clips back to back, each with its opening and writing
    results['folder']['after_startup_vs_single_video'] = (
        results['folder']['frames'] / results['folder']['clip_seconds'] / single_fps)
    results['resumed'] = killed_and_resumed(args, folder, osp.join(args.work_dir, 'killed'),
                                            osp.join(args.work_dir, 'out'), args.kills)
    report(args, results)


def report(args, results: dict) -> None:
    h, info = results['history'], results['machine']
    lost = ', '.join(f'{k} {v}' for k, v in h['frames_lost_after'].items())
    picked = ', '.join(f'{k} {"yes" if v else "no"}' for k, v in h['picked'].items())
    rows = [[name, r['done'], r['failed'], r['exit_status'], r['frames'], r['seconds'],
             r['frames_per_s'], r['vs_single_video']]
            for name, r in (('one process', results['folder']),
                            ('--workers 2', results['folder_2_workers']))]
    resumed = results['resumed']
    command = ' '.join(['python benchmarks/bench_experiment.py', *sys.argv[1:]])
    markdown = (
        f'# A whole experiment on real video (Openfield)\n\n`{command}` on {info["cpu"]} '
        f'({info["cores"]} cores, torch {info["torch"]}). '
        f'{__doc__.split(chr(10) + chr(10))[1]}\n\n'
        f'The whole video: **{results["single_video_frames_per_s"]:.1f} frames/s** end to end '
        f'({"onnxruntime" if args.onnx else "torch"}).\n\n'
        f'## History\n\nUndisturbed frames within 1 px of the clean copy\'s: '
        f'**{100 * h["undisturbed_within_1px"]:.2f} %** of {h["frames"]} (worst '
        f'{h["max_undisturbed_px"]:.2f} px; '
        f'{100 * h["undisturbed_identical_pictures"]:.1f} % of them identical pictures). '
        f'Frames a keypoint stays lost after each disturbance: {lost}. Disturbed groups '
        f'among the 20 frames picked to label: '
        f'{picked} (picks {h["picks"]}).\n\n'
        f'## A folder of {CLIPS} clips and 2 broken files\n\n'
        + markdown_table(['run', 'clips done', 'failed', 'exit status', 'frames', 'seconds',
                          'frames/s', 'x one video'], rows)
        + f'\n\nStart-up amortised (one process, the clips\' own seconds, each with its '
        f'opening and writing): **{results["folder"]["after_startup_vs_single_video"]:.2f}x** '
        f'the one video\'s frames/s. The broken files\' reasons: '
        f'{results["folder"]["failed_reasons"]}. Last line: '
        f'`{results["folder"]["last_line"]}`\n\n'
        f'## Killed and resumed\n\n{len(resumed["kills"])} SIGKILLs ({resumed["kills"]}), '
        f'resumed each time: over the {resumed["clips"]} clips the final points differ from '
        f'the uninterrupted run\'s by at most **{resumed["max_difference_px"]:.3g} px**; '
        f'{resumed["identical_filtered_csv"]} of {resumed["clips"]} filtered DeepLabCut CSVs '
        f'identical byte for byte.\n')
    print(markdown)
    write_results('experiment', results, markdown)


if __name__ == '__main__':
    main()
