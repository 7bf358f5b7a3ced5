#!/usr/bin/env bash
# Distributed training with torchrun: nccl on GPU nodes, gloo on CPU-only nodes (automatic).
#   tools/dist_train.sh CONFIG NPROC_PER_NODE [train.py args...]
# Multi-node: run on every node with NNODES, NODE_RANK, MASTER_ADDR and PORT set alike.
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: $0 CONFIG NPROC_PER_NODE [train.py args...]" >&2
    exit 2
fi
CONFIG=$1
NPROC=$2
shift 2
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON=${PYTHON:-python}

PYTHONPATH="$ROOT:${PYTHONPATH:-}" OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} \
"$PYTHON" -m torch.distributed.run \
    --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" \
    --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" \
    --nproc_per_node="$NPROC" \
    "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "$@"
