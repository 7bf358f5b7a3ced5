# MobileNetV3-Large 1.0 (timm) + UNetHeatmapHead for pet noses, 256x256 -> 64x64. From scratch
# by default; ImageNet weights are opt-in with a local file (timm's state_dict of
# mobilenetv3_large_100, .pth / .bin / .safetensors):
#   --cfg-options model.backbone.checkpoint=/path/to/mobilenetv3_large_100.safetensors
_base_ = ['./unet_petnose.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

model = dict(
    # levels at strides 4, 8, 16, 32 (timm's stride-2 level left out)
    backbone=dict(_delete_=True, type='TimmEncoder', model_name='mobilenetv3_large_100',
                  out_indices=(1, 2, 3, 4)),
    head=dict(in_channels=(24, 40, 112, 960), decoder_channels=(128, 64, 32)))
