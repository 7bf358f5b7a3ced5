# Human pose: ResNet-50 + UNetHeatmapHead on MPII (16 keypoints, PCKh@0.5), 256x256 -> 64x64,
# mmpose's MpiiDataset and MpiiPCKAccuracy. Data as mmpose documents it:
#   data/mpii/images/*.jpg, data/mpii/annotations/{mpii_train.json, mpii_val.json,
#   mpii_gt_val.mat}
# MPII's test labels are not public, so (as in mmpose's MPII configs) the val split is both
# watched during training and tested; the schedule is fixed (no best-checkpoint selection).
# For ImageNet weights (a local torchvision / mmpretrain ResNet-50 file):
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#                 model.backbone.init_cfg.checkpoint=/path/to/resnet50.pth
_base_ = ['mmpose_animal::_base_/default_runtime.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

# runtime (mmpose's MPII recipe: 210 epochs, Adam 5e-4 for batch 8x64; warm-up, cosine)
train_cfg = dict(by_epoch=True, max_epochs=210, val_interval=10)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=1, start_factor=0.01, by_epoch=True,
         convert_to_iter_based=True),  # warm-up: the first epoch, whatever its length
    dict(type='CosineAnnealingLR', begin=0, end=210, T_max=210, eta_min=1e-6, by_epoch=True,
         convert_to_iter_based=True),
]
auto_scale_lr = dict(base_batch_size=512)
default_hooks = dict(checkpoint=dict(type='CheckpointHook', interval=10, max_keep_ckpts=3))

codec = dict(type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(64, 64), sigma=2)

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=50, out_indices=(0, 1, 2, 3), init_cfg=None),
    head=dict(
        type='UNetHeatmapHead',
        in_channels=(256, 512, 1024, 2048),
        out_channels=16,
        decoder_channels=(256, 128, 64),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))

dataset_type = 'MpiiDataset'
data_mode = 'topdown'
data_root = 'data/mpii/'

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_prob=0),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, data_mode=data_mode,
                 ann_file='annotations/mpii_train.json', data_prefix=dict(img='images/'),
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(type=dataset_type, data_root=data_root, data_mode=data_mode,
                 ann_file='annotations/mpii_val.json',
                 headbox_file=f'{data_root}/annotations/mpii_gt_val.mat',
                 data_prefix=dict(img='images/'), test_mode=True, pipeline=val_pipeline))
test_dataloader = val_dataloader

val_evaluator = dict(type='MpiiPCKAccuracy')
test_evaluator = val_evaluator
