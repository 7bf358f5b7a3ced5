from .conv_stack import conv_stack
from .unet_decoder_block import UPSAMPLE_MODES, UNetDecoderBlock

__all__ = ['UPSAMPLE_MODES', 'UNetDecoderBlock', 'conv_stack']
