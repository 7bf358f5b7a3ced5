"""Config handling shared by tools/train.py, tools/test.py and tools/infer.py."""
import difflib
import inspect
import os.path as osp
from typing import Any, Dict, List, Optional

from mmengine.config import Config

PLAIN_CHECKPOINT_HOOK = dict(type='PlainCheckpointHook')


def _child_keys(node: Any) -> List[str]:
    if isinstance(node, dict):
        return [str(key) for key in node]
    if isinstance(node, (list, tuple)):
        return [str(i) for i in range(len(node))]
    return []


def _runner_arguments() -> List[str]:
    from mmengine.runner import Runner
    return [name for name in inspect.signature(Runner.__init__).parameters if name != 'self']


def check_cfg_options(cfg: Config, options: Dict[str, Any]) -> None:
    """Refuse ``--cfg-options`` keys that look like typos, before they are silently ignored.

    A top-level key must be in the config or be an argument of mmengine's ``Runner`` (such
    as ``randomness``). Below it, a key that is not in the config is refused when it is a
    near miss of a key that is (``max_epoch`` for ``max_epochs``); other new keys are new
    arguments (``model.head.final_activation``) and are let through. List items are
    addressed by index (``train_pipeline.2.type``) and must exist.

    Args:
        cfg (Config): The loaded config.
        options (dict): Dotted keys to new values.

    Raises:
        KeyError: A key is refused; the message names it and the close matches.
    """
    for dotted in options:
        node: Any = cfg._cfg_dict if isinstance(cfg, Config) else cfg
        walked: List[str] = []
        for part in dotted.split('.'):
            keys = _child_keys(node)
            if part in keys:
                node = node[int(part)] if isinstance(node, (list, tuple)) else node[part]
                walked.append(part)
                continue
            where = '.'.join(walked) or 'the top level'
            close = difflib.get_close_matches(part, keys, n=3, cutoff=0.75)
            if not walked and part not in _runner_arguments():
                hint = f'; did you mean {close}?' if close else ''
                raise KeyError(f'--cfg-options key {dotted!r}: {part!r} is neither in the '
                               f'config nor a Runner argument{hint}')
            if isinstance(node, (list, tuple)):
                raise KeyError(f'--cfg-options key {dotted!r}: {where} is a list of '
                               f'{len(node)} items; {part!r} is not an index of it')
            if close:
                raise KeyError(f'--cfg-options key {dotted!r}: {part!r} is not in {where} of '
                               f'the config; did you mean {close}?')
            break  # a new key: nothing below it to check


def load_config(path: str, cfg_options: Optional[Dict[str, Any]] = None) -> Config:
    """Load a config file and merge checked ``--cfg-options`` into it.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        KeyError: An option key is not in the config.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file {path} does not exist')
    cfg = Config.fromfile(path)
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
    return cfg


def ensure_plain_checkpoints(cfg: Config) -> None:
    """Add :class:`PlainCheckpointHook` as the default hook ``plain_checkpoint`` when a config
    has it neither among its default hooks nor its custom hooks."""
    default_hooks = cfg.get('default_hooks') or {}
    hooks = list(cfg.get('custom_hooks') or []) + list(default_hooks.values())
    if not any(hook and hook.get('type') == PLAIN_CHECKPOINT_HOOK['type'] for hook in hooks):
        cfg.default_hooks = dict(default_hooks, plain_checkpoint=dict(PLAIN_CHECKPOINT_HOOK))


def use_atomic_checkpoints(cfg: Config) -> None:
    """Have the CheckpointHook write through the ``atomic_local`` backend (a killed run
    never leaves a torn checkpoint), unless the config chose a backend itself."""
    checkpoint = cfg.get('default_hooks', {}).get('checkpoint')
    if checkpoint is not None and not checkpoint.get('backend_args'):
        checkpoint['backend_args'] = dict(backend='atomic_local')


def without_hooks(cfg: Config, *types: str) -> None:
    """Remove every default and custom hook of one of ``types`` (such as ``'EMAHook'``) from
    ``cfg``, in place."""
    cfg.default_hooks = {name: hook for name, hook in (cfg.get('default_hooks') or {}).items()
                         if not hook or hook.get('type') not in types}
    cfg.custom_hooks = [hook for hook in cfg.get('custom_hooks') or []
                        if hook['type'] not in types]


def default_work_dir(config_path: str) -> str:
    """``./work_dirs/<config name>``, as mmpose's tools choose."""
    return osp.join('work_dirs', osp.splitext(osp.basename(config_path))[0])
