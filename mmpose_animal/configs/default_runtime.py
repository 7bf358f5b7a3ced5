# The former path of mmpose_animal::_base_/default_runtime.py (configs written before it moved).
_base_ = ['./_base_/default_runtime.py']
