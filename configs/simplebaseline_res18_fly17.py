# mmpose's stock SimpleBaseline (ResNet-18 + HeatmapHead, 3 deconvs of 256 channels) on the
# fly17 data and pipeline of unet_fly17.py: the reference that benchmarks/bench_fly17.py
# trains side by side with our UNet, from scratch.
_base_ = ['./unet_fly17.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

optim_wrapper = dict(optimizer=dict(type='Adam', lr=5e-4))  # mmpose's SimpleBaseline recipe

model = dict(
    backbone=dict(_delete_=True, type='ResNet', depth=18),
    head=dict(
        _delete_=True,
        type='HeatmapHead',
        in_channels=512,
        out_channels=17,
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder={{_base_.codec}}))
