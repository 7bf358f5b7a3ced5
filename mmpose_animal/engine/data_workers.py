"""Stopping a runner's data-loading worker processes when the runner is done with them."""
from mmengine.runner import BaseLoop, Runner


def stop_data_workers(runner: Runner) -> None:
    """Stop the persistent data workers of ``runner``'s loaders now: left to the garbage
    collector, they held the next runner's start for 20 s (joins timing out)."""
    for loop in (runner._train_loop, runner._val_loop, runner._test_loop):  # only those built
        if isinstance(loop, BaseLoop):
            iterator = getattr(loop.dataloader, '_iterator', None)
            if iterator is not None:
                iterator._shutdown_workers()
