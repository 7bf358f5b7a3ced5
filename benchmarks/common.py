"""Helpers shared by the benchmarks: machine description and result writing."""
import json
import os
import os.path as osp
import platform
from typing import List, Sequence

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
