# Pure UNet (UNetEncoder + UNetHeatmapHead) for the 17-keypoint fruit fly, 192x192 -> 48x48:
# the package's UNet top-down recipe (mmpose_animal/configs/unet_topdown.py: model, UDP codec,
# schedule, pipelines, evaluators) on the fly17 data.
_base_ = ['mmpose_animal::_base_/unet_topdown.py']
custom_imports = dict(imports=['mmpose_animal'], allow_failed_imports=False)

dataset_type = 'Fly17Dataset'
data_root = 'data/fly17/'
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='annotations/fly17_train.json'))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='annotations/fly17_val.json'))
test_dataloader = dict(
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='annotations/fly17_test.json'))
