# mmpose's default runtime, plus what every mmpose-animal run needs. Shipped inside the
# package (like the metainfo files), so generated configs can inherit it by path.
_base_ = ['mmpose::_base_/default_runtime.py']

# Write checkpoints that torch.load(weights_only=True) reads (see README "Checkpoints").
# A default hook (a dict key), so configs that set custom_hooks keep it.
default_hooks = dict(plain_checkpoint=dict(type='PlainCheckpointHook'))
