"""Helpers shared by the benchmarks: machine description and result writing."""
import json
import os
import os.path as osp
import platform
import time
from typing import Callable, List, Sequence

import torch

RESULTS = osp.join(osp.dirname(osp.abspath(__file__)), 'results')


def machine() -> dict:
    """CPU model, cores, torch threads and versions, for the results' header."""
    cpu = platform.processor() or 'unknown'
    if osp.exists('/proc/cpuinfo'):
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    return dict(cpu=cpu, cores=os.cpu_count(), torch_threads=torch.get_num_threads(),
                torch=torch.__version__, cuda=torch.cuda.is_available(),
                python=platform.python_version())


def throughput(step: Callable[[], None], seconds: float, batch: int, warmup: int = 2,
               repeats: int = 3) -> float:
    """Images per second of ``step`` (one batch of ``batch`` images): the best of ``repeats``
    timing windows.

    Each window runs at least ``seconds / repeats`` and 2 batches; taking the best window
    (as ``timeit`` does) keeps other load on the machine out of the number.
    """
    for _ in range(warmup):
        step()
    best = 0.0
    for _ in range(repeats):
        count, start = 0, time.perf_counter()
        while True:
            step()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / repeats and count >= 2:
                break
        best = max(best, batch * count / elapsed)
    return best


def markdown_table(headers: Sequence[str], rows: List[Sequence]) -> str:
    """A GitHub markdown table; floats get 2 decimals (3 below 10)."""
    def cell(value):
        if isinstance(value, float):
            return f'{value:.3f}' if abs(value) < 10 else f'{value:.1f}'
        return str(value)
    lines = ['| ' + ' | '.join(headers) + ' |', '|' + '---|' * len(headers)]
    lines += ['| ' + ' | '.join(cell(v) for v in row) + ' |' for row in rows]
    return '\n'.join(lines)


def write_results(name: str, payload: dict, markdown: str) -> None:
    """Write ``results/<name>.json`` and ``results/<name>.md``."""
    os.makedirs(RESULTS, exist_ok=True)
    with open(osp.join(RESULTS, f'{name}.json'), 'w') as file:
        json.dump(payload, file, indent=2)
    with open(osp.join(RESULTS, f'{name}.md'), 'w') as file:
        file.write(markdown + '\n')
    print(f'\nwrote {osp.join(RESULTS, name)}.json and .md')
