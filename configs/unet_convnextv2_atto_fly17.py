# ConvNeXt-V2 atto (timm) + UNetHeatmapHead on fly17, 192x192 -> 48x48: the encoder the
# report asked for. From scratch by default; ImageNet weights are opt-in with a local file
# (timm's state_dict of convnextv2_atto, .pth / .bin / .safetensors):
#   --cfg-options model.backbone.checkpoint=/path/to/convnextv2_atto.safetensors
_base_ = ['./unet_fly17.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

model = dict(
    backbone=dict(_delete_=True, type='TimmEncoder', model_name='convnextv2_atto'),
    # strides 4, 8, 16, 32: the decoder climbs back to stride 4 through three skips
    head=dict(in_channels=(40, 80, 160, 320), decoder_channels=(128, 64, 32)))
