# ConvNeXt-V2 atto (timm) + UNetHeatmapHead for pet noses, 256x256 -> 64x64. From scratch by
# default; ImageNet weights are opt-in with a local file (timm's state_dict of convnextv2_atto):
#   --cfg-options model.backbone.checkpoint=/path/to/convnextv2_atto.safetensors
_base_ = ['./unet_petnose.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

model = dict(
    backbone=dict(_delete_=True, type='TimmEncoder', model_name='convnextv2_atto'),
    # strides 4, 8, 16, 32: the decoder climbs back to stride 4 through three skips
    head=dict(in_channels=(40, 80, 160, 320), decoder_channels=(128, 64, 32)))
