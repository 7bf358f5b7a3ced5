# ResNet-18 + UNetHeatmapHead for pet noses (one keypoint), 256x256 -> 64x64, whole-image box.
# From scratch by default; for ImageNet weights, opt in with a local file:
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#                 model.backbone.init_cfg.checkpoint=/path/to/resnet18.pth
_base_ = ['./_base_/default_runtime.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

# runtime
train_cfg = dict(by_epoch=True, max_epochs=60, val_interval=2)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=1, start_factor=0.01, by_epoch=True,
         convert_to_iter_based=True),  # warm-up: the first epoch, whatever its length
    dict(type='CosineAnnealingLR', begin=0, end=60, T_max=60, eta_min=1e-5, by_epoch=True,
         convert_to_iter_based=True),
]
auto_scale_lr = dict(base_batch_size=32)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=2, save_best='dist/mean', rule='less',
                    max_keep_ckpts=3))

codec = dict(type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(64, 64), sigma=2)

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=18, out_indices=(0, 1, 2, 3), init_cfg=None),
    head=dict(
        type='UNetHeatmapHead',
        in_channels=(64, 128, 256, 512),
        out_channels=1,
        decoder_channels=(256, 128, 64),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))

# data: the public label files; validation is a fixed 10 % of train_noses.txt (the best
# checkpoint is chosen on it), test_noses.txt is only read by tools/test.py
dataset_type = 'PetNoseDataset'
data_root = 'data/petnose/'

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
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.0),
    dict(type='TopdownAffine', input_size=codec['input_size']),
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
        ann_file='train_noses.txt',
        subset='train',
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
        ann_file='train_noses.txt',
        subset='val',
        data_prefix=dict(img='images/'),
        test_mode=True,
        pipeline=val_pipeline))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], ann_file='test_noses.txt', subset=None))

val_evaluator = [
    dict(type='KeypointDistanceMetric'),
    dict(type='PCKAccuracy', thr=0.2),
    dict(type='AUC'),
    dict(type='EPE'),
]
test_evaluator = val_evaluator
