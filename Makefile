# mmpose-animal: the two commands are `make quickstart` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install test quickstart benchmark clean

install:
	./tools/install.sh

test: install
	$(PY) -m pytest tests --durations=25

quickstart: install
	$(PY) tools/quickstart.py

benchmark: install
	$(PY) benchmarks/bench_heads.py
	$(PY) benchmarks/bench_fly17.py
	$(PY) benchmarks/bench_codec.py
	$(PY) benchmarks/bench_petnose.py
	$(PY) benchmarks/bench_petnose_parse.py
	$(PY) benchmarks/bench_real.py
	$(PY) benchmarks/bench_video.py

clean:
	rm -rf work_dirs data/fly17 data/petnose
