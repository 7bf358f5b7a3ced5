#!/usr/bin/env bash
# Distributed training with torchrun: nccl on GPU nodes, gloo on CPU-only nodes (automatic).
#   tools/dist_train.sh CONFIG NPROC_PER_NODE [train.py args...]
# Multi-node: run on every node with NNODES, NODE_RANK, MASTER_ADDR and PORT set alike.
set -euo pipefail
if [[ $# -lt 2 ]]; then
    echo "usage: $0 CONFIG NPROC_PER_NODE [train.py args...]" >&2
    exit 2
fi
TOOLS="$(cd "$(dirname "$0")" && pwd)"
exec "$TOOLS/torchrun.sh" "$2" "$TOOLS/train.py" "$1" --launcher pytorch "${@:3}"
