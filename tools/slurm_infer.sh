#!/usr/bin/env bash
# A whole experiment on a slurm cluster: a job array, each task analysing its share of the
# videos (tools/infer.py reads SLURM_ARRAY_TASK_ID / _MIN / _MAX / _COUNT), all into one
# output folder; a task re-run (requeued, preempted) skips the videos already done and
# resumes a killed one from its last saved chunk. The last task to finish writes the full
# summary (summary.csv, summary.png); any task can be re-run to refresh it.
#   sbatch --array=0-19 --cpus-per-task=4 --mem=8G tools/slurm_infer.sh CONFIG CKPT videos/ \
#       --out-dir out --format dlc slp
#SBATCH --job-name=mmpose-animal-infer
#SBATCH --output=slurm-infer-%A_%a.out
set -euo pipefail
if [[ $# -lt 3 ]]; then
    echo "usage: sbatch --array=0-N [sbatch options] $0 CONFIG CHECKPOINT INPUTS... [infer.py options]" >&2
    exit 2
fi
ROOT="${SLURM_SUBMIT_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
PYTHON=${PYTHON:-python}
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
PYTHONPATH="$ROOT:${PYTHONPATH:-}" "$PYTHON" -u "$ROOT/tools/infer.py" "$@"
