"""Predict keypoints on images, folders or videos: JSON records and overlays.

    python tools/infer.py configs/unet_fly17.py work_dirs/unet_fly17/epoch_60.pth \
        frames/ clip.mp4 --out-dir infer_out
    # several animals per frame: an mmdet detector proposes the boxes first
    python tools/infer.py CONFIG CKPT clip.mp4 --det-config DET.py --det-checkpoint DET.pth
    # DeepLabCut H5 + CSV and SLEAP .slp beside predictions.jsonl
    python tools/infer.py CONFIG CKPT clip.mp4 --format jsonl dlc slp
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import Iterable, Iterator, Optional, Tuple

import mmpose_animal  # noqa: F401  (first: registers the plugin, quiets import noise)
import cv2
import numpy as np
from tqdm import tqdm

from mmpose.registry import VISUALIZERS
from mmpose.structures import merge_data_samples
from mmpose.utils import adapt_mmdet_pipeline
from mmpose_animal.apis import (fuse_for_inference, is_video, list_inputs, load_pose_model,
                                predict_batches, predict_keypoints, read_image, read_video,
                                to_record)
from mmpose_animal.apis.onnx_export import use_onnxruntime
from mmpose_animal.apis.prediction_export import (EXPORT_FORMATS, check_formats,
                                                  export_sequence, group_sequences)
from mmpose_animal.engine import CheckpointLoadError


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Predict keypoints on images and videos')
    parser.add_argument('config', help='pose config file')
    parser.add_argument('checkpoint', help='pose checkpoint')
    parser.add_argument('inputs', nargs='+', help='images, folders of images, or videos')
    parser.add_argument('--out-dir', default='infer_out',
                        help='writes predictions.jsonl and overlays/ here')
    parser.add_argument('--device', default='cpu', help='cpu or cuda:0, ...')
    parser.add_argument('--format', nargs='+', default=['jsonl'], metavar='FMT',
                        help=f'prediction files, one or more of {EXPORT_FORMATS}: jsonl '
                        f'(predictions.jsonl), dlc (DeepLabCut H5 + CSV per video / folder), '
                        f'slp (SLEAP predictions), nwb (NWB with ndx-pose, videos)')
    parser.add_argument('--backend', choices=('torch', 'onnxruntime'), default='torch',
                        help='what runs the network (decoding is the same Python code)')
    parser.add_argument('--onnx', help='with --backend onnxruntime: the model from '
                        'tools/export_onnx.py')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='frames per network call (whole-frame boxes; frames are '
                        'decoded and preprocessed in a background thread)')
    parser.add_argument('--no-fuse', action='store_true',
                        help='torch backend: keep BN layers (by default they are folded into '
                        'the convs and weights stored channels-last: same output, faster)')
    parser.add_argument('--no-overlay', action='store_true', help='write no overlays')
    parser.add_argument('--kpt-thr', type=float, default=0.0,
                        help='draw keypoints scoring at least this')
    parser.add_argument('--det-config', help='mmdet config: detect the animals first')
    parser.add_argument('--det-checkpoint', help='mmdet checkpoint')
    parser.add_argument('--det-score-thr', type=float, default=0.5,
                        help='keep detections scoring at least this')
    parser.add_argument('--det-cat-ids', type=int, nargs='+',
                        help='keep only these detector classes (default: all)')
    return parser.parse_args(argv)


class Detector:
    """An mmdet detector that returns (N, 4) xyxy boxes of the wanted classes."""

    def __init__(self, config: str, checkpoint: str, device: str, score_thr: float,
                 cat_ids=None):
        from mmdet.apis import inference_detector, init_detector
        self._infer = inference_detector
        self.model = init_detector(config, checkpoint, device=device)
        # run mmdet's transforms from the mmdet scope while mmpose's is the default
        self.model.cfg = adapt_mmdet_pipeline(self.model.cfg)
        self.score_thr = score_thr
        self.cat_ids = cat_ids

    def __call__(self, image: np.ndarray) -> np.ndarray:
        pred = self._infer(self.model, image).pred_instances.cpu().numpy()
        keep = pred.scores >= self.score_thr
        if self.cat_ids is not None:
            keep &= np.isin(pred.labels, self.cat_ids)
        return pred.bboxes[keep]


def read_frames(sequence) -> Tuple[Iterable[np.ndarray], int, Optional[float]]:
    """(BGR frames, their number, frames per second or None) of a video or an image folder."""
    if sequence.is_video:
        return read_video(sequence.source)
    return (read_image(p) for p in sequence.image_paths), len(sequence.image_paths), None


def main(argv=None) -> None:
    args = parse_args(argv)
    if bool(args.det_config) != bool(args.det_checkpoint):
        sys.exit('infer.py: error: --det-config and --det-checkpoint go together')
    if args.batch_size < 1:
        sys.exit(f'infer.py: error: --batch-size must be >= 1, got {args.batch_size}')
    try:
        paths = list_inputs(args.inputs)
        sequences = group_sequences(paths, is_video)
        formats = check_formats(args.format, sequences)
        model = load_pose_model(args.config, args.checkpoint, args.device)
        if args.backend == 'onnxruntime':
            if not args.onnx:
                raise ValueError('--backend onnxruntime needs --onnx MODEL.onnx '
                                 '(tools/export_onnx.py writes it)')
            use_onnxruntime(model, args.onnx)
        elif not args.no_fuse:
            fuse_for_inference(model)
    except (FileNotFoundError, ValueError, CheckpointLoadError, RuntimeError) as error:
        sys.exit(f'infer.py: error: {error}')
    detector = Detector(args.det_config, args.det_checkpoint, args.device, args.det_score_thr,
                        args.det_cat_ids) if args.det_config else None
    visualizer = VISUALIZERS.build(model.cfg.visualizer)
    visualizer.set_dataset_meta(model.dataset_meta)
    overlay_dir = osp.join(args.out_dir, 'overlays')
    os.makedirs(overlay_dir, exist_ok=True)

    def predict(images: Iterable[np.ndarray]) -> Iterator[Tuple[np.ndarray, list]]:
        """(image, PoseDataSamples) per image, in order: batched on whole frames, or one
        image at a time after the detector."""
        if detector is None:
            return predict_batches(model, images, args.batch_size)
        return ((image, predict_keypoints(model, image, detector(image))) for image in images)

    def draw(image: np.ndarray, samples: list) -> Optional[np.ndarray]:
        """The BGR overlay, or None with --no-overlay."""
        if args.no_overlay or not samples:
            return None if args.no_overlay else image
        visualizer.add_datasample('result', image[..., ::-1].copy(),
                                  data_sample=merge_data_samples(samples), draw_gt=False,
                                  draw_bbox=True, show=False, kpt_thr=args.kpt_thr)
        return visualizer.get_image()[..., ::-1]

    jsonl = open(osp.join(args.out_dir, 'predictions.jsonl'), 'w') if 'jsonl' in formats else None
    written = [jsonl.name] if jsonl else []
    try:
        for sequence in sequences:
            images, count, fps = read_frames(sequence)
            writer = None
            for index, (image, samples) in enumerate(tqdm(
                    predict(images), total=count or None, unit='frame',
                    desc=osp.basename(sequence.source))):
                source = sequence.source if sequence.is_video else sequence.image_paths[index]
                overlay = draw(image, samples)
                sequence.frames[index] = [
                    (np.asarray(s.pred_instances.keypoints)[0],
                     np.asarray(s.pred_instances.keypoint_scores)[0]) for s in samples]
                if jsonl:
                    record = to_record(source, index if sequence.is_video else None, samples)
                    jsonl.write(json.dumps(record) + '\n')
                if overlay is None:
                    continue
                if not sequence.is_video:
                    name = osp.splitext(osp.basename(source))[0]
                    cv2.imwrite(osp.join(overlay_dir, f'{name}.png'), overlay)
                    continue
                if writer is None:
                    writer = cv2.VideoWriter(osp.join(overlay_dir, f'{sequence.stem}.mp4'),
                                             cv2.VideoWriter_fourcc(*'mp4v'), fps,
                                             overlay.shape[1::-1])
                writer.write(np.ascontiguousarray(overlay))
            if writer is not None:
                writer.release()
            written += export_sequence(sequence, formats, model.dataset_meta, args.out_dir)
    finally:
        if jsonl:
            jsonl.close()
    for path in written:
        print(f'predictions: {path}')
    if not args.no_overlay:
        print(f'overlays:    {overlay_dir}')


if __name__ == '__main__':
    main()
