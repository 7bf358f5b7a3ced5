#!/usr/bin/env bash
# Distributed testing with torchrun: nccl on GPU nodes, gloo on CPU-only nodes (automatic).
#   tools/dist_test.sh CONFIG CHECKPOINT NPROC_PER_NODE [test.py args...]
set -euo pipefail
if [[ $# -lt 3 ]]; then
    echo "usage: $0 CONFIG CHECKPOINT NPROC_PER_NODE [test.py args...]" >&2
    exit 2
fi
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
shift 3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON=${PYTHON:-python}

PYTHONPATH="$ROOT:${PYTHONPATH:-}" OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} \
"$PYTHON" -m torch.distributed.run \
    --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" \
    --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" \
    --nproc_per_node="$NPROC" \
    "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
