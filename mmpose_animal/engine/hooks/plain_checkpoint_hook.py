"""A hook that writes checkpoints the safe unpickler (``weights_only=True``) can read."""
from mmengine.hooks import Hook
from mmpose.registry import HOOKS

from ..checkpoint_codec import encode_plain


@HOOKS.register_module()
class PlainCheckpointHook(Hook):
    """Encode numpy objects and history buffers in every checkpoint as plain types.

    Runs in ``before_save_checkpoint``, after mmengine has assembled the checkpoint dict and
    before it is written. :mod:`mmpose_animal.engine.safe_checkpoint_loader` decodes them on
    load, so ``resume`` and ``load_from`` see exactly what mmengine saved.
    """

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Replace the checkpoint's contents, in place, by their plain encoding.

        Args:
            runner (Runner): The runner saving the checkpoint.
            checkpoint (dict): The checkpoint about to be written.
        """
        encoded = encode_plain(dict(checkpoint))
        checkpoint.clear()
        checkpoint.update(encoded)
