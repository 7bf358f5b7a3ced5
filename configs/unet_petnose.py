# ResNet-18 + UNetHeatmapHead for pet noses (one keypoint), 256x256 -> 64x64, whole-image box:
# the package's UNet top-down recipe (mmpose_animal/configs/unet_topdown.py) with mmpose's
# ResNet-18 as the encoder. From scratch by default; for ImageNet weights, opt in with a
# local file:
#   --cfg-options model.backbone.init_cfg.type=Pretrained \
#                 model.backbone.init_cfg.checkpoint=/path/to/resnet18.pth
_base_ = ['mmpose_animal::_base_/unet_topdown.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

train_cfg = dict(val_interval=2)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=1, start_factor=0.01, by_epoch=True,
         convert_to_iter_based=True),  # warm-up: the first epoch, whatever its length
    dict(type='CosineAnnealingLR', begin=0, end=60, T_max=60, eta_min=1e-5, by_epoch=True,
         convert_to_iter_based=True),
]
default_hooks = dict(checkpoint=dict(interval=2, save_best='dist/mean', max_keep_ckpts=3))

codec = dict(type='UDPHeatmap', input_size=(256, 256), heatmap_size=(64, 64), sigma=2)

model = dict(
    backbone=dict(_delete_=True, type='ResNet', depth=18, out_indices=(0, 1, 2, 3),
                  init_cfg=None),
    head=dict(in_channels=(64, 128, 256, 512), out_channels=1, decoder_channels=(256, 128, 64),
              decoder=codec))

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
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale', padding=1.0),
    dict(type='TopdownAffine', input_size=codec['input_size'], use_udp=True),
    dict(type='PackPoseInputs'),
]

train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='train_noses.txt',
                 subset='train', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='train_noses.txt',
                 subset='val', pipeline=val_pipeline))
test_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='test_noses.txt',
                 subset=None, pipeline=val_pipeline))

val_evaluator = [
    dict(type='KeypointDistanceMetric'),
    dict(type='PCKAccuracy', thr=0.2),
    dict(type='AUC'),
    dict(type='EPE'),
]
test_evaluator = val_evaluator
