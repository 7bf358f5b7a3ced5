#!/usr/bin/env bash
# torchrun wrapper behind dist_train.sh and dist_test.sh:
#   tools/torchrun.sh NPROC_PER_NODE SCRIPT [script args...]
# Honours NNODES, NODE_RANK, MASTER_ADDR, PORT (all nodes alike) and PYTHON.
set -euo pipefail
NPROC=$1
SCRIPT=$2
shift 2
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

PYTHONPATH="$ROOT:${PYTHONPATH:-}" OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} \
exec "${PYTHON:-python}" -m torch.distributed.run \
    --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" \
    --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" \
    --nproc_per_node="$NPROC" \
    "$SCRIPT" "$@"
