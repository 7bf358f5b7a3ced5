# unet_fly17 on a short CPU schedule: the README's quickstart (make quickstart).
_base_ = ['./unet_fly17.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

train_cfg = dict(max_epochs=12, val_interval=4)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=1, start_factor=0.01, by_epoch=True,
         convert_to_iter_based=True),  # warm-up: the first epoch, whatever its length
    dict(type='CosineAnnealingLR', begin=0, end=12, T_max=12, eta_min=1e-5, by_epoch=True,
         convert_to_iter_based=True),
]
default_hooks = dict(checkpoint=dict(interval=4), logger=dict(interval=25))
