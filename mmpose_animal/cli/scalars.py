"""Read mmengine's ``vis_data/scalars.json`` (one JSON object per logged step)."""
import json
from collections import defaultdict
from typing import Dict, List, Tuple

Series = Dict[str, List[Tuple[float, float]]]


def read_scalars(path: str) -> Tuple[Series, Series]:
    """Split a scalars file into training series (by iteration) and validation (by epoch).

    Returns:
        tuple: ``(train, val)``, each ``{name: [(step, value), ...]}``.

    Raises:
        ValueError: A line is not JSON (the message names the file and line).
    """
    train: Series = defaultdict(list)
    val: Series = defaultdict(list)
    with open(path) as file:
        for line_no, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f'{path}:{line_no}: not JSON ({error})') from error
            is_train = 'loss' in entry or 'lr' in entry
            series, step = (train, entry.get('iter')) if is_train else \
                (val, entry.get('epoch', entry.get('step')))
            for key, value in entry.items():
                if key not in ('iter', 'epoch', 'step', 'time', 'data_time', 'memory', 'eta') \
                        and isinstance(value, (int, float)):
                    series[key].append((step, float(value)))
    return dict(train), dict(val)
