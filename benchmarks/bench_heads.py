"""Side-by-side speed and size of heatmap models on this machine (CPU by default).

For each input size (192, 256) and keypoint count (17, 1), batch 16: parameters, forward
MACs per image, training img/s (forward + loss + backward + Adam step) and inference img/s
(network forward, eval mode), both as built and with BN fused into the convs and
channels-last memory (the usual CPU deployment; applied to every model alike).

    python benchmarks/bench_heads.py [--sizes 192 256] [--keypoints 17 1] [--seconds 6]
        [--models a d f g h i --out heads_encoders]

Writes benchmarks/results/heads.{json,md} (or --out's name).
"""
import argparse
import sys
from typing import Dict

import torch
from mmengine.registry import init_default_scope
from torch.utils.flop_counter import FlopCounterMode

import mmpose_animal  # noqa: F401  (registers the UNet modules)
from mmpose_animal.apis import fuse_for_inference
from mmpose.registry import MODELS
from mmpose.testing import get_packed_inputs

from common import machine, markdown_table, throughput, write_results

BATCH = 16


def model_zoo(size: int, keypoints: int) -> Dict[str, dict]:
    """The models, as mmpose model configs, for one input size and K: (a)-(e) the heads,
    (f)-(i) pretrained-capable encoders under the UNet head (levels at strides 4-32)."""
    def topdown(backbone: dict, head: dict) -> dict:
        return dict(type='TopdownPoseEstimator', backbone=backbone, head=head)
    resnet = lambda depth, **kw: dict(type='ResNet', depth=depth, **kw)  # noqa: E731

    def unet_head(in_channels: tuple) -> dict:  # the encoder configs' head
        return dict(type='UNetHeatmapHead', in_channels=in_channels, out_channels=keypoints,
                    decoder_channels=(128, 64, 32))
    return {
        '(a) SimpleBaseline R18 + HeatmapHead': topdown(
            resnet(18), dict(type='HeatmapHead', in_channels=512, out_channels=keypoints)),
        '(b) SimpleBaseline R50 + HeatmapHead': topdown(
            resnet(50), dict(type='HeatmapHead', in_channels=2048, out_channels=keypoints)),
        '(c) R18 + UNetHeatmapHead': topdown(
            resnet(18, out_indices=(0, 1, 2, 3)),
            dict(type='UNetHeatmapHead', in_channels=(64, 128, 256, 512),
                 out_channels=keypoints, decoder_channels=(256, 128, 64))),
        '(d) UNetEncoder + UNetHeatmapHead (fly default)': topdown(
            dict(type='UNetEncoder', base_channels=8, num_stages=6),
            dict(type='UNetHeatmapHead', in_channels=(8, 16, 32, 64, 128, 256),
                 out_channels=keypoints, decoder_channels=(128, 64, 32))),
        '(e) pet-nose report: R18 + 5x upsample + sigmoid': topdown(
            resnet(18, out_indices=(3,)),
            dict(type='UNetHeatmapHead', in_channels=512, out_channels=keypoints,
                 decoder_channels=(256, 128, 64, 32, 32), use_skips=False,
                 convs_per_block=1, final_activation='sigmoid')),
        '(f) ConvNeXt-V2 atto (timm) + UNetHeatmapHead': topdown(
            dict(type='TimmEncoder', model_name='convnextv2_atto'),
            unet_head((40, 80, 160, 320))),
        '(g) MobileNetV3-L 1.0 (timm) + UNetHeatmapHead': topdown(
            dict(type='TimmEncoder', model_name='mobilenetv3_large_100',
                 out_indices=(1, 2, 3, 4)),
            unet_head((24, 40, 112, 960))),
        '(h) EfficientNet-B0 (timm) + UNetHeatmapHead': topdown(
            dict(type='TimmEncoder', model_name='efficientnet_b0', out_indices=(1, 2, 3, 4)),
            unet_head((24, 40, 112, 320))),
        '(i) MobileNetV2 (mmpose) + UNetHeatmapHead': topdown(
            dict(type='MobileNetV2', out_indices=(1, 2, 4, 6)), unet_head((24, 32, 96, 320))),
    }


def measure(cfg: dict, size: int, keypoints: int, seconds: float) -> dict:
    images = torch.rand(BATCH, 3, size, size)
    model = MODELS.build(cfg)  # default init: weights do not change the speed
    model.eval()
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        heatmaps = model(images[:1], None, mode='tensor')
    heatmap_size = tuple(heatmaps.shape[-2:])
    row = dict(params_m=sum(p.numel() for p in model.parameters()) / 1e6,
               gmacs=counter.get_total_flops() / 2 / 1e9,
               heatmap=f'{heatmap_size[1]}x{heatmap_size[0]}')

    samples = get_packed_inputs(batch_size=BATCH, num_keypoints=keypoints,
                                img_shape=(size, size), input_size=(size, size),
                                heatmap_size=heatmap_size[::-1], with_reg_label=False,
                                with_simcc_label=False)['data_samples']
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

    def train_step():
        loss = sum(model(images, samples, mode='loss').values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    row['train_img_s'] = throughput(train_step, seconds, BATCH)

    model.eval()
    with torch.no_grad():
        row['infer_img_s'] = throughput(lambda: model(images, None, mode='tensor'), seconds,
                                        BATCH)
        fused = fuse_for_inference(model)  # exact BatchNorm2d only: timm's BN+act stays
        images_cl = images.contiguous(memory_format=torch.channels_last)
        row['infer_fused_img_s'] = throughput(lambda: fused(images_cl, None, mode='tensor'),
                                              seconds, BATCH)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=[192, 256])
    parser.add_argument('--keypoints', type=int, nargs='+', default=[17, 1])
    parser.add_argument('--seconds', type=float, default=9.0,
                        help='timing per measurement (split into 3 windows, best kept)')
    parser.add_argument('--models', nargs='+', default=list('abcdefghi'),
                        help='letters of the models to measure; the first is the reference')
    parser.add_argument('--out', default='heads', help='results/<out>.{json,md}')
    args = parser.parse_args()
    init_default_scope('mmpose')
    torch.manual_seed(0)
    info = machine()
    print(f'machine: {info}')
    command = ''.join(f' {arg}' for arg in sys.argv[1:])

    results = []
    headers = ['input', 'K', 'model', 'params (M)', 'GMACs/img', 'heatmap', 'train img/s',
               'infer img/s', 'infer img/s (fused BN, channels-last)', 'train x', 'infer x',
               'fused infer x']
    rows = []
    for size in args.sizes:
        for keypoints in args.keypoints:
            reference = None
            zoo = {name[1]: (name, cfg) for name, cfg in model_zoo(size, keypoints).items()}
            for name, cfg in (zoo[letter] for letter in args.models):
                row = dict(input=size, keypoints=keypoints, model=name,
                           **measure(cfg, size, keypoints, args.seconds))
                reference = reference or row  # (a) is the reference of its group
                for key in ('train_img_s', 'infer_img_s', 'infer_fused_img_s'):
                    row[f'{key}_ratio'] = row[key] / reference[key]
                results.append(row)
                rows.append([size, keypoints, name, row['params_m'], row['gmacs'],
                             row['heatmap'], row['train_img_s'], row['infer_img_s'],
                             row['infer_fused_img_s'], row['train_img_s_ratio'],
                             row['infer_img_s_ratio'], row['infer_fused_img_s_ratio']])
                print(' | '.join(str(v if not isinstance(v, float) else round(v, 2))
                                 for v in rows[-1]), flush=True)

    table = markdown_table(headers, rows)
    markdown = (f'# Heatmap models side by side\n\nMeasured by `python benchmarks/bench_heads.py'
                f'{command}` on {info["cpu"]} ({info["cores"]} cores, '
                f'{info["torch_threads"]} torch threads, torch {info["torch"]}, CUDA '
                f'{"yes" if info["cuda"] else "no"}), '
                f'batch {BATCH}, fp32. Ratios are against the first model of the same input '
                f'size and K group. Training: forward + loss + backward + '
                f'Adam step. Inference: network forward in eval mode (no decoding). Each '
                f'figure is the best of 3 timing windows.\n\n'
                f'{table}\n')
    print('\n' + table)
    write_results(args.out, dict(machine=info, batch=BATCH, results=results), markdown)


if __name__ == '__main__':
    main()
