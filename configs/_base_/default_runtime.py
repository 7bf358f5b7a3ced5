# mmpose's default runtime, plus what every mmpose-animal run needs.
_base_ = ['mmpose::_base_/default_runtime.py']

# Write checkpoints that torch.load(weights_only=True) reads (see README "Checkpoints").
custom_hooks = [dict(type='PlainCheckpointHook')]
