# The pet-nose report's model, as the baseline to beat: ResNet-18 -> 5 x (bilinear x2,
# 3x3 conv, BN, ReLU; 512->256->128->64->32->32) -> 1 channel + sigmoid at 256x256,
# Gaussian target sigma 7, MSE, Adam lr 1e-3, batch 32, at most 30 epochs, early stopping
# with patience 3 on the mean nose distance.
_base_ = ['./unet_petnose.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

train_cfg = dict(max_epochs=30, val_interval=1)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
default_hooks = dict(
    checkpoint=dict(interval=1),
    early_stopping=dict(type='EarlyStoppingHook', monitor='dist/mean', rule='less', patience=3))

codec = dict(type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(256, 256), sigma=7)

model = dict(
    backbone=dict(out_indices=(3,)),
    head=dict(
        _delete_=True,
        type='UNetHeatmapHead',
        in_channels=512,
        out_channels=1,
        decoder_channels=(256, 128, 64, 32, 32),
        use_skips=False,
        convs_per_block=1,
        final_activation='sigmoid',
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec))

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.0),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_factor=0.1, scale_factor=(0.75, 1.1),
         rotate_factor=30),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.0),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs'),
]
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=val_pipeline))
