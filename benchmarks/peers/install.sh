#!/usr/bin/env bash
# A separate environment for the peer benchmarks (bench_sleap.py): SLEAP-NN's dependencies
# (lightning, jupyter, wandb, ...) stay out of the project's .venv. The new venv sees the
# project's packages (torch, mmpose, mmpose_animal) through a .pth file, so torch is not
# downloaded twice.
#   benchmarks/peers/install.sh /tmp/peers   # then /tmp/peers/bin/python benchmarks/bench_sleap.py ...
set -euo pipefail
target=${1:?usage: benchmarks/peers/install.sh VENV_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
site=$("$root/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
python=$("$root/.venv/bin/python" -c 'import sys; print(sys._base_executable)')
"$python" -m venv "$target"
peer_site=$("$target/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "import site; site.addsitedir('$site')" > "$peer_site/zz_mmpose_animal_venv.pth"
"$target/bin/pip" install -q "sleap-nn==0.3.5"
"$target/bin/python" -c 'import sleap_nn, mmpose_animal; print("sleap-nn", sleap_nn.__version__)'
