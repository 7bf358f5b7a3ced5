"""How a label reader declares itself: the sources it recognises and the options it takes.

Each ``read_*.py`` module ends with one :class:`LabelFormat`; ``label_import/__init__.py``
lists them in :data:`LABEL_FORMATS`, and the importer (format detection, options, the CLI's
flags) works from that table alone. A new format is one new file and one line there.
"""
import glob
import os.path as osp
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

from .label_set import LabelSet


@dataclass(frozen=True)
class LabelOption:
    """One keyword option of a reader, also a flag of ``import_labels.py``.

    Args:
        name (str): The reader's keyword (``include_predicted``); the flag is
            ``--include-predicted``.
        help (str): What it does, for ``--help``.
        is_flag (bool): A switch (``store_true``) rather than a value. Defaults to ``False``.
        nargs (str, optional): ``'+'`` for one or more values (a list). Defaults to one value.
    """

    name: str
    help: str
    is_flag: bool = False
    nargs: Optional[str] = None

    @property
    def flag(self) -> str:
        """The command-line flag, e.g. ``--include-predicted``."""
        return '--' + self.name.replace('_', '-')


@dataclass(frozen=True)
class LabelFormat:
    """A label source the importer reads.

    Args:
        name (str): The ``--format`` value, e.g. ``'slp'``.
        description (str): What the source is, e.g. ``'a SLEAP .slp / .pkg.slp'``.
        read (Callable[..., LabelSet]): ``read(source, **options) -> LabelSet``.
        suffixes (Tuple[str, ...]): Lower-case file name endings it recognises. Defaults
            to ``()``.
        is_folder (bool): The source is a folder (a project) instead of a file. Defaults to
            ``False``.
        marker (str): For a folder format, a glob pattern of the file inside that marks
            the folder as this format (``config.yaml``). Defaults to ``''`` (any folder).
        options (Tuple[LabelOption, ...]): The keyword options ``read`` takes. Defaults to
            ``()``.
    """

    name: str
    description: str
    read: Callable[..., LabelSet]
    suffixes: Tuple[str, ...] = ()
    is_folder: bool = False
    marker: str = ''
    options: Tuple[LabelOption, ...] = ()

    def recognises(self, source: str) -> bool:
        """Whether ``source`` (an existing path) looks like this format."""
        if osp.isdir(source):
            return self.is_folder and (not self.marker
                                       or bool(glob.glob(osp.join(source, self.marker))))
        return source.lower().endswith(self.suffixes)
