# mmpose's MobileNetV2 + UNetHeatmapHead for pet noses, 256x256 -> 64x64. From scratch by
# default; for ImageNet weights (mmpretrain / mmcls MobileNetV2 checkpoint, a local file):
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#                 model.backbone.init_cfg.prefix=backbone. \
#                 model.backbone.init_cfg.checkpoint=/path/to/mobilenet_v2.pth
_base_ = ['./unet_petnose.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

model = dict(
    # layers 2, 3, 5 and 7: strides 4, 8, 16, 32
    backbone=dict(_delete_=True, type='MobileNetV2', widen_factor=1.0, out_indices=(1, 2, 4, 6),
                  init_cfg=None),
    head=dict(in_channels=(24, 32, 96, 320), decoder_channels=(128, 64, 32)))
