"""The package's rooms stay in layers: every import (module level or inside a function) of a
room goes to its own layer or one below, and no two rooms import each other."""
import ast
import os
import os.path as osp
from typing import Dict, Set

import mmpose_animal

PACKAGE = osp.dirname(mmpose_animal.__file__)
# bottom to top: a room may import its own layer and the ones below
LAYERS = [
    {'utils', 'version', 'registry'},
    {'structures'},
    {'models', 'datasets', 'evaluation', 'engine', 'postprocessing', 'visualization'},
    {'fileio'},
    {'labelling'},
    {'apis', 'data_tools'},
    {'cli'},
]
RANK = {room: rank for rank, rooms in enumerate(LAYERS) for room in rooms}


def _room(module: str) -> str:
    """``mmpose_animal.apis.video_loop`` -> ``apis``."""
    parts = module.split('.')
    return parts[1] if len(parts) > 1 else ''


def _imports() -> Dict[str, Set[str]]:
    """Module -> the package's modules it imports, relative imports resolved."""
    found = {}
    for folder, _, files in os.walk(PACKAGE):
        if osp.join(PACKAGE, 'configs') in folder or '.mim' in folder:
            continue  # configs are data, not modules
        for name in files:
            if not name.endswith('.py'):
                continue
            path = osp.join(folder, name)
            parts = ['mmpose_animal'] + osp.relpath(path, PACKAGE)[:-3].split(os.sep)
            is_package = parts[-1] == '__init__'
            module = '.'.join(parts[:-1] if is_package else parts)
            targets = set()
            for node in ast.walk(ast.parse(open(path).read(), path)):
                if isinstance(node, ast.ImportFrom):
                    if node.level:
                        base = module.split('.')
                        base = base[:len(base) - node.level + (1 if is_package else 0)]
                        target = '.'.join(base + ([node.module] if node.module else []))
                    else:
                        target = node.module or ''
                    targets.add(target)
                elif isinstance(node, ast.Import):
                    targets.update(alias.name for alias in node.names)
            found[module] = {t for t in targets if t.startswith('mmpose_animal.')}
    return found


def test_every_room_has_a_layer():
    rooms = {_room(module) for module in _imports()} - {''}
    assert rooms <= set(RANK), f'place {sorted(rooms - set(RANK))} in LAYERS'


def test_no_import_runs_up_a_layer():
    upward = []
    for module, targets in _imports().items():
        source = _room(module)
        if not source:
            continue  # the package's own __init__ imports rooms to register them
        for target in targets:
            if RANK[_room(target)] > RANK[source]:
                upward.append(f'{module} imports {target}')
    assert not upward, '\n'.join(upward)


def test_no_two_rooms_import_each_other():
    edges = {(_room(m), _room(t)) for m, targets in _imports().items() for t in targets
             if _room(m) and _room(m) != _room(t)}
    assert not [(a, b) for a, b in edges if (b, a) in edges]
