"""Fine-tuning: train only the head for the first epochs, then everything."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpose.registry import HOOKS


@HOOKS.register_module()
class FreezeBackboneHook(Hook):
    """Keep the backbone fixed for the first ``epochs`` epochs of training.

    While frozen, the backbone's parameters get no gradient (``requires_grad`` off, so the
    optimizer leaves them and their moments alone) and its normalization layers keep their
    running statistics (eval mode). From epoch ``epochs`` on, the whole model trains. Meant for
    starting from pre-trained weights (``load_from`` or the backbone's ``init_cfg`` /
    ``checkpoint``): the freshly initialized head first learns on fixed features, so its
    early, large gradients do not disturb the pre-trained encoder. Works with any backbone.

    In distributed runs the frozen parameters have no gradient, so DDP needs
    ``model_wrapper_cfg=dict(type='MMDistributedDataParallel', find_unused_parameters=True)``.

    Args:
        epochs (int): Epochs (from the first) with the backbone frozen (>= 1).
    """

    priority = 'NORMAL'

    def __init__(self, epochs: int):
        if not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f'FreezeBackboneHook: epochs must be an integer >= 1, got '
                             f'{epochs!r}')
        self.epochs = epochs

    @staticmethod
    def _backbone(runner):
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        return model.backbone

    def before_train_epoch(self, runner) -> None:
        frozen = runner.epoch < self.epochs
        for parameter in self._backbone(runner).parameters():
            parameter.requires_grad_(not frozen)
        if runner.epoch in (0, self.epochs):
            state = 'frozen' if frozen else 'trainable from now on'
            runner.logger.info(f'FreezeBackboneHook: backbone {state} (epoch {runner.epoch + 1})')

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        if runner.epoch < self.epochs:  # the loop set train mode after before_train_epoch
            self._backbone(runner).eval()
