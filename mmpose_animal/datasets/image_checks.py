"""Decode every image of a dataset before training, so a corrupt file fails early and clearly.

A truncated JPEG passes a header check and kills training mid-epoch with mmpose's "Please
check whether the file exists"; decoding every pixel up front finds it at once.
"""
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from PIL import Image

Progress = Optional[Callable[[Iterable, int], Iterable]]


def decode_problem(path: str) -> Optional[str]:
    """Why ``path`` is not a readable image (``None`` when every pixel decodes)."""
    try:
        with Image.open(path) as image:
            image.load()
    except FileNotFoundError:
        return 'does not exist'
    except (OSError, ValueError, SyntaxError) as error:
        return f'is corrupt or not an image ({error})'
    return None


def find_bad_images(paths: Sequence[str], progress: Progress = None,
                    workers: int = 4) -> Dict[str, str]:
    """Decode ``paths`` in parallel threads; ``{path: problem}`` for those that fail.

    Args:
        paths (Sequence[str]): Image files (repeats are decoded once).
        progress (Callable, optional): ``progress(iterable, total)`` wraps the results,
            e.g. a tqdm.
        workers (int): Decoding threads. Defaults to ``4``.
    """
    unique = list(dict.fromkeys(paths))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(decode_problem, unique)
        if progress is not None:
            results = progress(results, len(unique))
        return {path: problem for path, problem in zip(unique, results) if problem}


def describe(info: dict, source: str) -> str:
    """``<ann file>: annotation id N (<image>)`` or ``<label file>:<line>`` of a sample."""
    raw = info.get('raw_ann_info') or {}
    if 'line_no' in raw:
        return f'{source}:{raw["line_no"]}'
    return f'{source}: annotation id {info.get("id")}'


def verify_data_list(data_list: List[dict], source: str, skip_invalid: bool) -> List[dict]:
    """Decode every image of ``data_list``; raise naming every bad one, or drop them with a
    warning that names them when ``skip_invalid``.

    Raises:
        ValueError: Some images do not decode and ``skip_invalid`` is ``False``.
    """
    bad = find_bad_images([info['img_path'] for info in data_list])
    if not bad:
        return data_list
    lines = [f'{describe(info, source)}: image {info["img_path"]} {bad[info["img_path"]]}'
             for info in data_list if info['img_path'] in bad]
    message = f'{len(bad)} image(s) of {source} cannot be decoded:\n  ' + '\n  '.join(lines)
    if not skip_invalid:
        raise ValueError(message + '\n(skip_invalid_images=True leaves them out)')
    warnings.warn(message + '\nskipped (skip_invalid_images=True)')
    return [info for info in data_list if info['img_path'] not in bad]
