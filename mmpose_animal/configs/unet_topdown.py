# Configs written by make_config before the recipe moved to _base_/ name this file: it is the
# recipe, mmpose_animal::_base_/unet_topdown.py, under its former path.
_base_ = ['./_base_/unet_topdown.py']
