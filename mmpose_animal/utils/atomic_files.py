"""Files written whole or not at all."""
import os
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def atomic_path(path: str, suffix: str = '.tmp') -> Iterator[str]:
    """A temporary path beside ``path`` to write to, moved onto ``path`` when the block ends
    (readers see the whole file or the old one) and removed when the block fails.

    Args:
        path (str): The file to write.
        suffix (str): Appended to ``path`` for the temporary file (e.g. ``'.tmp.png'`` where
            the writer picks the format by extension). Defaults to ``'.tmp'``.
    """
    partial = path + suffix
    try:
        yield partial
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
