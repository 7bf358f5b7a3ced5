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
#   MMCV_CFLAGS       compiler flags of mmcv's ops (default: -O1 -g0, instead of Python's -g -O3:
#                     the ops are off the pose models' hot path, only the optional detector uses
#                     a few; a unit compiles 2.2-2.6x faster). MMCV_CFLAGS="-g -O3" restores them.
#   MMCV_PCH          1 (default) compiles mmcv's common header once and reuses it for every unit
#                     (tools/pch_cxx.sh: the build took 6.5 instead of 14 min on 2 cores); 0 to not.
#                     CPU builds only: the CUDA build (MMCV_FORCE_CUDA=1) compiles without it
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
MMCV_FORCE_CUDA=${MMCV_FORCE_CUDA:-0}
MMCV_CFLAGS=${MMCV_CFLAGS:--O1 -g0}
MMCV_PCH=${MMCV_PCH:-1}
WHEELHOUSE_ROOT=${MMCV_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmpose-animal/wheelhouse}
# The tested versions live in requirements/constraints.txt only; every pip call below uses it.
CONSTRAINTS=requirements/constraints.txt
pin() { sed -n "s/^$1==//p" "$CONSTRAINTS"; }
MMCV_VERSION=$(pin mmcv)

stamp_inputs() {
    cat tools/install.sh setup.py requirements/*.txt
    echo "force_cuda=$MMCV_FORCE_CUDA cflags=$MMCV_CFLAGS pch=$MMCV_PCH arch=$(uname -m)"
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
if [[ "$(uname -m)" == "aarch64" ]]; then
    # PyPI's aarch64 torchvision pairs with torch 2.9.1 (CPU build), not the x86_64 pins.
    CONSTRAINTS_FILE=$(mktemp); trap 'rm -f "$CONSTRAINTS_FILE"' EXIT
    grep -v '^torch' "$CONSTRAINTS" > "$CONSTRAINTS_FILE"
    "$PY" -m pip install -qq --disable-pip-version-check torch==2.9.1 torchvision==0.24.1
else
    CONSTRAINTS_FILE=$CONSTRAINTS
fi
PIP=("$PY" -m pip install --disable-pip-version-check -c "$CONSTRAINTS_FILE")

log "build tools"
"${PIP[@]}" -qq -r requirements/build.txt

log "torch + torchvision"
"${PIP[@]}" -qq torch torchvision
TORCH_VERSION=$("$PY" -c 'import torch; print(torch.__version__)')

log "mmengine"
"${PIP[@]}" -qq mmengine

ops=cpu; [[ "$MMCV_FORCE_CUDA" == "1" ]] && ops=cuda
ops="$ops$(echo " $MMCV_CFLAGS" | tr -d ' ')"
WHEELHOUSE="$WHEELHOUSE_ROOT/py$("$PY" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')-torch-$TORCH_VERSION-$ops"
mkdir -p "$WHEELHOUSE"
if ! ls "$WHEELHOUSE"/mmcv-"$MMCV_VERSION"-*.whl >/dev/null 2>&1; then
    log "building mmcv $MMCV_VERSION with $ops ops against torch $TORCH_VERSION (~7 min on 2 cores, once per machine)"
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
    compiler=()
    if [[ "$MMCV_PCH" == "1" && "$MMCV_FORCE_CUDA" != "1" ]]; then  # nvcc: the plain build
        compiler=(CXX="$PWD/tools/pch_cxx.sh" MMCV_REAL_CXX="${CXX:-c++}")
    fi
    # --no-cache-dir: pip's own wheel cache is not keyed by torch and would hand back a stale build.
    env "${compiler[@]}" CFLAGS="$MMCV_CFLAGS" MMCV_WITH_OPS=1 FORCE_CUDA="$MMCV_FORCE_CUDA" MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
        "$PY" -m pip wheel -qq --disable-pip-version-check --no-cache-dir --no-build-isolation \
        --no-deps "$src/mmcv-$MMCV_VERSION" -w "$WHEELHOUSE.partial"
    mv "$WHEELHOUSE".partial/mmcv-*.whl "$WHEELHOUSE"/ && rmdir "$WHEELHOUSE.partial"
    rm -rf "$src"
else
    log "reusing mmcv wheel from $WHEELHOUSE"
fi
"${PIP[@]}" -qq "$WHEELHOUSE"/mmcv-"$MMCV_VERSION"-*.whl

log "xtcocotools $(pin xtcocotools) from source (the binary wheel breaks under numpy 2)"
"${PIP[@]}" -qq --no-binary xtcocotools xtcocotools

log "mmdet, mmpose and mmpose-animal (editable, every extra and the test tools)"
"${PIP[@]}" -qq --no-build-isolation -e ".[tests]"

log "checking the stack"
"$PY" -c 'import mmpose_animal, mmcv.ops; print("mmpose_animal", mmpose_animal.__version__, "stack OK")'

rm -f "$VENV"/.mmpose-animal-install-*
touch "$STAMP"
log "done"
