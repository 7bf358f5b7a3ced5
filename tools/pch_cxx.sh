#!/usr/bin/env bash
# C++ compiler for building mmcv's ops (tools/install.sh sets CXX to it): every unit of mmcv's
# ops starts with `#include "pytorch_cpp_helper.hpp"`, which pulls in torch's headers, and most
# of each compile is parsing them again. The first compile precompiles that header with its
# own flags (so the flags of the precompiled copy and of every unit are the same), and gcc then
# loads the precompiled copy for each unit. Measured on 2 cores: a unit took ~4 s instead of
# ~17 s. Any other call (version checks, a build of something else) goes to the real compiler
# unchanged, and when the precompiled header cannot be made the units compile as usual.
#
# Environment: MMCV_REAL_CXX, the compiler to run (default: c++).
set -euo pipefail

real_cxx=${MMCV_REAL_CXX:-c++}
header=
for arg in "$@"; do
    if [[ "$arg" == -I*/csrc/common && -f "${arg#-I}/pytorch_cpp_helper.hpp" ]]; then
        header="${arg#-I}/pytorch_cpp_helper.hpp"
    fi
done
if [[ -z "$header" || " $* " != *" -c "* ]]; then
    exec "$real_cxx" "$@"
fi

# The same command, compiling the header instead of the unit: drop -MMD, -MF FILE, -c (torch
# passes it twice), the source and -o OBJ.
pch_args=()
skip=0
for arg in "$@"; do
    if (( skip )); then skip=0; continue; fi
    case "$arg" in
        -MMD | -c | *.cpp | *.cc | *.cxx) ;;
        -MF | -o) skip=1 ;;
        *) pch_args+=("$arg") ;;
    esac
done

exec 9>"$header.gch.lock"
flock 9
if [[ ! -e "$header.gch" && ! -e "$header.gch.failed" ]]; then
    if "$real_cxx" "${pch_args[@]}" -x c++-header "$header" -o "$header.gch.partial"; then
        mv "$header.gch.partial" "$header.gch"
    else
        touch "$header.gch.failed"  # compile the units without it
    fi
fi
flock -u 9
exec "$real_cxx" "$@"
