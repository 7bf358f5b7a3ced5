#!/usr/bin/env bash
# Build .venv with the OpenMMLab stack that works together on torch >= 2.6 (see README).
#
# Idempotent: a stamp keyed by the install inputs makes a repeated run a no-op, and the mmcv
# wheel built from source is kept in a wheelhouse outside the repo, keyed by the torch version
# (and CPU/CUDA ops) it was compiled against, so a fresh clone on the same machine reuses it.
#
# Environment:
#   PYTHON            interpreter for the venv (default: python3)
#   VENV              venv folder (default: .venv)
#   MMCV_FORCE_CUDA   1 to compile mmcv's CUDA ops (needs nvcc matching torch's CUDA); default 0
#   MMCV_WHEELHOUSE   wheelhouse root (default: ${XDG_CACHE_HOME:-~/.cache}/mmpose-animal/wheelhouse)
#   MAX_JOBS          parallel compile jobs for mmcv (default: number of cores)
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
MMCV_FORCE_CUDA=${MMCV_FORCE_CUDA:-0}
WHEELHOUSE_ROOT=${MMCV_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmpose-animal/wheelhouse}
# The pinned versions live in requirements/runtime.txt only.
pin() { sed -n "s/^$1==//p" requirements/runtime.txt; }
MMCV_VERSION=$(pin mmcv)
XTCOCOTOOLS_VERSION=$(pin xtcocotools)

stamp_inputs() {
    cat tools/install.sh setup.py requirements/*.txt
    echo "force_cuda=$MMCV_FORCE_CUDA arch=$(uname -m)"
}
STAMP="$VENV/.mmpose-animal-install-$(stamp_inputs | sha256sum | cut -c1-16)"
if [[ -f "$STAMP" ]]; then
    echo "[install] $VENV is up to date ($STAMP)"
    exit 0
fi

start=$(date +%s)
log() { echo "[install +$(( $(date +%s) - start ))s] $*"; }

[[ -x "$VENV/bin/python" ]] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --disable-pip-version-check)

log "build tools"
"${PIP[@]}" -qq -r requirements/build.txt

log "torch + torchvision"
if [[ "$(uname -m)" == "aarch64" ]]; then
    # PyPI's aarch64 torchvision pairs with this torch (CPU build).
    "${PIP[@]}" -qq torch==2.9.1 torchvision==0.24.1
else
    "${PIP[@]}" -qq -r requirements/torch.txt
fi
TORCH_VERSION=$("$PY" -c 'import torch; print(torch.__version__)')

log "mmengine"
"${PIP[@]}" -qq "mmengine==$(pin mmengine)"

ops=cpu; [[ "$MMCV_FORCE_CUDA" == "1" ]] && ops=cuda
WHEELHOUSE="$WHEELHOUSE_ROOT/py$("$PY" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')-torch-$TORCH_VERSION-$ops"
mkdir -p "$WHEELHOUSE"
if ! ls "$WHEELHOUSE"/mmcv-"$MMCV_VERSION"-*.whl >/dev/null 2>&1; then
    log "building mmcv $MMCV_VERSION with $ops ops against torch $TORCH_VERSION (~14 min on 2 cores, once per machine)"
    src=$(mktemp -d)
    "$PY" -m pip download -qq --disable-pip-version-check --no-deps --no-binary :all: \
        --no-build-isolation "mmcv==$MMCV_VERSION" -d "$src"
    tar xzf "$src/mmcv-$MMCV_VERSION.tar.gz" -C "$src"
    aten_h=$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "include/ATen/ATen.h"))')
    if grep -q 'C++20 or later' "$aten_h"; then
        # torch >= 2.10 headers need C++20, but the pinned mmcv's setup.py hard-codes -std=c++17.
        log "patching mmcv's setup.py: -std=c++17 -> -std=c++20 (torch $TORCH_VERSION needs C++20)"
        sed -i 's/-std=c++17/-std=c++20/g' "$src/mmcv-$MMCV_VERSION/setup.py"
    fi
    # --no-cache-dir: pip's own wheel cache is not keyed by torch and would hand back a stale build.
    MMCV_WITH_OPS=1 FORCE_CUDA="$MMCV_FORCE_CUDA" MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
        "$PY" -m pip wheel -qq --disable-pip-version-check --no-cache-dir --no-build-isolation \
        --no-deps "$src/mmcv-$MMCV_VERSION" -w "$WHEELHOUSE.partial"
    mv "$WHEELHOUSE".partial/mmcv-*.whl "$WHEELHOUSE"/ && rmdir "$WHEELHOUSE.partial"
    rm -rf "$src"
else
    log "reusing mmcv wheel from $WHEELHOUSE"
fi
"${PIP[@]}" -qq "$WHEELHOUSE"/mmcv-"$MMCV_VERSION"-*.whl

log "xtcocotools $XTCOCOTOOLS_VERSION from source (the binary wheel breaks under numpy 2)"
"${PIP[@]}" -qq --no-binary xtcocotools "xtcocotools==$XTCOCOTOOLS_VERSION"

log "mmdet, mmpose and mmpose-animal (editable, with test extras)"
"${PIP[@]}" -qq -r requirements/runtime.txt
"${PIP[@]}" -qq --no-build-isolation -e ".[tests]"

log "checking the stack"
"$PY" -c 'import mmpose_animal, mmcv.ops; print("mmpose_animal", mmpose_animal.__version__, "stack OK")'

rm -f "$VENV"/.mmpose-animal-install-*
touch "$STAMP"
log "done"
