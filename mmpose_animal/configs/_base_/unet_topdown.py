# The UNet top-down recipe of mmpose-animal, in one place: configs/*.py and the configs that
# tools/make_config.py writes inherit it (mmpose_animal::_base_/unet_topdown.py) and state only
# what differs (data, metainfo, input size and codec, schedule). Its pipelines are what
# mmpose_animal/data_tools/recipe.py builds for this codec (tests/test_data_tools/test_recipe.py).
#
# Pure UNet: UNetEncoder (6 levels, 8..256 channels, strides 1..32) + UNetHeatmapHead, whose
# decoder climbs back to stride 4 through the skips of strides 16, 8 and 4. UDP codec (sub-
# pixel targets and the unbiased crop; benchmarks/README.md). Adam 2e-3, warm-up over the first
# epoch, then cosine.
#
# A child that changes `codec` restates what was built from it here (mmengine resolves these
# references when it reads this file): `model.head.decoder`, and the pipelines with the
# dataloaders that hold them.
_base_ = ['./default_runtime.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

# runtime (a child with other epochs restates train_cfg and param_scheduler)
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=5)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=2e-3))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=1, start_factor=0.01, by_epoch=True,
         convert_to_iter_based=True),  # warm-up: the first epoch, whatever its length
    dict(type='CosineAnnealingLR', begin=0, end=60, T_max=60, eta_min=2e-5, by_epoch=True,
         convert_to_iter_based=True),
]
auto_scale_lr = dict(base_batch_size=32)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=5, save_best='EPE', rule='less',
                    max_keep_ckpts=2))

# codec: one config for the targets (GenerateTarget) and for decoding (head.decoder)
codec = dict(type='UDPHeatmap', input_size=(192, 192), heatmap_size=(48, 48), sigma=2)

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='UNetEncoder', base_channels=8, num_stages=6),
    head=dict(
        type='UNetHeatmapHead',
        in_channels=(8, 16, 32, 64, 128, 256),
        out_channels=17,
        decoder_channels=(128, 64, 32),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))

# data: the layout tools/dataset_converters/import_labels.py writes
dataset_type = 'AnimalKeypointDataset'
data_root = 'data/'

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.0),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_factor=0.1, shift_prob=0.5,
         scale_factor=(0.75, 1.25), rotate_factor=180.0, rotate_prob=1.0),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    # brightness and contrast (saturation and hue leave grayscale frames unchanged)
    dict(type='PhotometricDistortion', brightness_delta=24, contrast_range=(0.7, 1.3)),
    dict(type='GenerateTarget', encoder=codec, use_dataset_keypoint_weights=True),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.0),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='PackPoseInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/train.json',
        data_prefix=dict(img='images/'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/val.json',
        data_prefix=dict(img='images/'),
        test_mode=True,
        pipeline=val_pipeline))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], ann_file='annotations/test.json'))

val_evaluator = [
    dict(type='PCKAccuracy', thr=0.2),
    dict(type='AUC'),
    dict(type='EPE'),
    dict(type='KeypointDistanceMetric'),
]
test_evaluator = val_evaluator
