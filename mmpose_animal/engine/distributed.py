"""Start distributed runs on CPU-only nodes (gloo) and GPU nodes (nccl), chosen automatically.

mmengine 0.10's launchers call ``torch.cuda.set_device`` unconditionally and its Runner gives
DDP ``device_ids=[LOCAL_RANK]``, so ``torchrun ... --launcher pytorch`` dies on a CPU node with
"Found no NVIDIA driver". On CPU we start the gloo process group ourselves (mmengine's Runner
then skips its own ``init_dist``) and wrap the model with ``device_ids=None``. On GPU nodes
mmengine's own path (nccl) is left untouched.
"""
import os
import subprocess

import torch
import torch.distributed as torch_dist
from mmengine.config import Config

LAUNCHERS = ('none', 'pytorch', 'slurm')


def _slurm_env_to_torch_env() -> None:
    """Set torch's rendezvous variables from slurm's, as mmengine's slurm launcher does."""
    node_list = os.environ['SLURM_NODELIST']
    os.environ.setdefault(
        'MASTER_ADDR', subprocess.getoutput(f'scontrol show hostname {node_list} | head -n1'))
    os.environ.setdefault('MASTER_PORT', '29500')
    os.environ['WORLD_SIZE'] = os.environ['SLURM_NTASKS']
    os.environ['RANK'] = os.environ['SLURM_PROCID']
    os.environ['LOCAL_RANK'] = os.environ.get('SLURM_LOCALID', '0')


def setup_distributed(cfg: Config, launcher: str) -> str:
    """Prepare ``cfg`` (and, on CPU, the process group) for a run started by ``launcher``.

    Args:
        cfg (Config): The run's config; ``launcher``, ``env_cfg.dist_cfg.backend`` and, on
            CPU, ``model_wrapper_cfg`` are set in place.
        launcher (str): ``'none'``, ``'pytorch'`` (torchrun) or ``'slurm'`` (srun).

    Returns:
        str: The backend in use: ``'none'``, ``'gloo'`` or ``'nccl'``.

    Raises:
        ValueError: ``launcher`` is not one of :data:`LAUNCHERS`, or a distributed launcher
            is asked for without the environment its launcher sets.
    """
    if launcher not in LAUNCHERS:
        raise ValueError(f'launcher must be one of {LAUNCHERS}, got {launcher!r}')
    cfg.launcher = launcher
    if launcher == 'none':
        return 'none'
    required = ('RANK', 'WORLD_SIZE') if launcher == 'pytorch' else ('SLURM_PROCID',)
    missing = [name for name in required if name not in os.environ]
    if missing:
        raise ValueError(f'--launcher {launcher} needs the environment its launcher sets '
                         f'(missing {missing}); start with tools/dist_train.sh (torchrun) or '
                         f'tools/slurm_train.sh (srun)')

    env_cfg = cfg.setdefault('env_cfg', {})
    dist_cfg = env_cfg.setdefault('dist_cfg', {})
    if torch.cuda.is_available():
        dist_cfg['backend'] = 'nccl'
        return 'nccl'

    dist_cfg['backend'] = 'gloo'
    if launcher == 'slurm':
        _slurm_env_to_torch_env()
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    wrapper_cfg = dict(cfg.get('model_wrapper_cfg') or dict(type='MMDistributedDataParallel'))
    wrapper_cfg['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper_cfg
    return 'gloo'


def finish_distributed() -> None:
    """End a distributed run: every rank waits for the others, then leaves the process group.

    Without it a rank that exits first can abort another at interpreter exit, its gloo
    threads still talking to the gone peer ("terminate called without an active
    exception", exit code -6) although its work is done. Nothing to do without a group.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()
