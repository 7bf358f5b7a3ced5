"""Read a DeepLabCut project: ``config.yaml`` and ``labeled-data/*/CollectedData_*.{h5,csv}``.

Single-animal tables have the column levels scorer / bodyparts / coords, multi-animal ones
scorer / individuals / bodyparts / coords. The row index is the image path relative to the
project (``labeled-data/<video>/img0001.png``), one string or three levels.
"""
import csv
import glob
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ...utils.optional_import import require
from ..deeplabcut import project_bodyparts, read_project_config
from .label_format import LabelFormat
from .label_set import LabelledFrame, LabelSet, check_unique_names

pd = require('pandas', 'labels')

HEADER_NAMES = ('scorer', 'individuals', 'bodyparts', 'coords')


def _header_depth(path: str) -> Tuple[int, int]:
    """(Header rows, index columns) of a DLC CSV."""
    with open(path, newline='') as file:
        rows = [row for _, row in zip(range(5), csv.reader(file))]
    depth = 0
    while depth < len(rows) and rows[depth] and rows[depth][0] in HEADER_NAMES:
        depth += 1
    if depth < 3:
        raise ValueError(f'{path}: not a DeepLabCut CSV (expected header rows '
                         f'scorer[, individuals], bodyparts, coords)')
    first = rows[0]
    index_columns = 1
    while index_columns < len(first) and first[index_columns] == '':
        index_columns += 1
    return depth, index_columns


def _read_csv_table(path: str) -> pd.DataFrame:
    """A DLC CSV as a table, every row kept.

    The header rows are parsed here rather than by ``pd.read_csv(header=[0, 1, 2])``, which
    takes a first row with nothing labelled for a row of index names and drops it.
    """
    depth, index_columns = _header_depth(path)
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    names = list(HEADER_NAMES) if depth == 4 else ['scorer', 'bodyparts', 'coords']
    columns = pd.MultiIndex.from_arrays(
        [raw.iloc[level, index_columns:].tolist() for level in range(depth)], names=names)
    body = raw.iloc[depth:]
    index = [tuple(row) if index_columns > 1 else row[0]
             for row in body.iloc[:, :index_columns].itertuples(index=False)]
    values = body.iloc[:, index_columns:].replace('', np.nan).to_numpy()
    return pd.DataFrame(values, index=index, columns=columns)


def read_table(path: str) -> pd.DataFrame:
    """Read a CollectedData table (.h5 with pandas + PyTables, or .csv)."""
    if path.endswith('.h5'):
        try:
            table = pd.read_hdf(path)
        except (ImportError, ValueError, KeyError, OSError) as error:
            raise ValueError(f'{path}: cannot read the DeepLabCut table ({error})') from error
    else:
        table = _read_csv_table(path)
    missing = [name for name in ('bodyparts', 'coords') if name not in table.columns.names]
    if missing:
        raise ValueError(f'{path}: column levels {table.columns.names} lack {missing}')
    return table


def _row_path(index_value) -> str:
    parts = index_value if isinstance(index_value, tuple) else (index_value,)
    return '/'.join(str(p).replace('\\', '/') for p in parts)


def table_points(table: pd.DataFrame, names: List[str], path: str,
                 skipped: Sequence[str] = ()) -> Tuple[List[str], np.ndarray]:
    """(Image paths, (rows, individuals, K, 2) points) of a table, keypoints in ``names`` order.

    Columns of the body parts in ``skipped`` (a multi-animal project's unique body parts)
    are not read.

    Raises:
        ValueError: The table has body parts the project config does not list, or a
            coordinate that is not a number.
    """
    table = table.loc[:, ~table.columns.get_level_values('bodyparts').isin(list(skipped))]
    unknown = sorted(set(table.columns.get_level_values('bodyparts')) - set(names))
    if unknown:
        raise ValueError(f'{path}: body parts {unknown} are not in the project config.yaml '
                         f'({names}); add them to config.yaml or remove their columns')
    individuals = table_individuals(table) or [None]
    values = np.full((len(table), len(individuals), len(names), 2), np.nan)
    for column in table.columns:
        level = dict(zip(table.columns.names, column))
        if level['coords'] not in ('x', 'y'):
            continue
        try:
            data = pd.to_numeric(table[column], errors='raise').to_numpy(dtype=np.float64)
        except (ValueError, TypeError) as error:
            raise ValueError(f'{path}: column {column} holds a value that is not a number '
                             f'({error})') from error
        values[:, individuals.index(level.get('individuals')), names.index(level['bodyparts']),
               'xy'.index(level['coords'])] = data
    return [_row_path(i) for i in table.index], values


def table_individuals(table: pd.DataFrame) -> List[str]:
    """The individuals of a multi-animal table, in column order ([] for one animal)."""
    if 'individuals' not in table.columns.names:
        return []
    return list(dict.fromkeys(table.columns.get_level_values('individuals')))


def table_frames(project: str, path: str, image_paths: Sequence[str], points: np.ndarray,
                 seen: Dict[str, str], view: str = '',
                 tracks: Optional[List[str]] = None) -> List[LabelledFrame]:
    """One frame per row of a label table (image paths relative to ``project``), grouped by
    the image's folder (or by ``view``), its instances on ``tracks`` when given.

    Raises:
        FileNotFoundError: A row's image is missing.
        ValueError: An image is labelled again (``seen``: image path -> where it was first,
            updated).
    """
    frames = []
    for row, (image_path, row_points) in enumerate(zip(image_paths, points), start=1):
        where = f'{path}: row {row} ({image_path})'
        if image_path in seen:
            raise ValueError(f'{where}: image labelled again (first in {seen[image_path]})')
        seen[image_path] = where
        file_path = osp.join(project, image_path)
        if not osp.isfile(file_path):
            raise FileNotFoundError(f'{where}: image {file_path} does not exist')
        folder = osp.basename(osp.dirname(image_path))
        frames.append(LabelledFrame(
            image=file_path, name='/'.join(filter(None, (view, folder,
                                                         osp.basename(image_path)))),
            group=view or folder, where=where, instances=row_points,
            tracks=list(tracks) if tracks else None))
    return frames


def find_tables(project: str) -> Tuple[List[str], List[str]]:
    """(Label tables to read, labelled-data folders without one); .h5 preferred to .csv."""
    tables, without = [], []
    for folder in sorted(glob.glob(osp.join(project, 'labeled-data', '*'))):
        if not osp.isdir(folder):
            continue
        found = sorted(glob.glob(osp.join(folder, 'CollectedData_*.h5'))) or \
            sorted(glob.glob(osp.join(folder, 'CollectedData_*.csv')))
        if found:
            tables.append(found[0])
        else:
            without.append(osp.basename(folder))
    return tables, without


def read_dlc_project(project: str, table_format: Optional[str] = None) -> LabelSet:
    """Read every labelled frame of a DeepLabCut project.

    Args:
        project (str): The project folder (holding config.yaml and labeled-data/).
        table_format (str, optional): ``'h5'`` or ``'csv'`` to read only that kind of table;
            by default the .h5 of each folder, or its .csv when there is no .h5.

    Returns:
        LabelSet: Body parts in config.yaml order, its skeleton, one frame per table row.

    Raises:
        FileNotFoundError: No config.yaml, no label table, or an image a row names is missing.
        ValueError: Unknown body parts, bad numbers, a folder labelled twice.
    """
    config = read_project_config(project)
    config_path = osp.join(project, 'config.yaml')
    names, multi = project_bodyparts(config, config_path)
    check_unique_names(names, f'{config_path}: body parts')
    tables, without = find_tables(project)
    if table_format is not None:
        tables = [osp.splitext(t)[0] + '.' + table_format for t in tables]
        tables = [t for t in tables if osp.isfile(t)]
    if not tables:
        raise FileNotFoundError(f'{project}: no labeled-data/*/CollectedData_*.h5 or .csv '
                                f'(label frames in DeepLabCut first)')
    frames: List[LabelledFrame] = []
    seen = {}
    identities = bool(config.get('identity'))  # the individuals are the same animals
    for path in tables:
        table = read_table(path)
        image_paths, points = table_points(table, names, path,
                                           skipped=config.get('uniquebodyparts') or [])
        tracks = table_individuals(table) if identities else None
        frames += table_frames(project, path, image_paths, points, seen, tracks=tracks)
    skeleton = config.get('skeleton') or []
    links = []
    for link in skeleton:
        if len(link) != 2 or any(part not in names for part in link):
            raise ValueError(f'{config_path}: skeleton link {link} names a body part that is '
                             f'not in {names}')
        links.append((names.index(link[0]), names.index(link[1])))
    notes = [f'labeled-data/{name}: no CollectedData table, not imported' for name in without]
    if multi and not identities:
        notes.append('individuals are not identities (identity is not true in config.yaml): '
                     'animals are told apart by their motion only')
    if multi and config.get('uniquebodyparts'):
        notes.append(f'uniquebodyparts {config["uniquebodyparts"]} are not imported (only '
                     f'multianimalbodyparts are)')
    return LabelSet(source=project, keypoint_names=names, frames=frames, links=links,
                    notes=notes)


DLC = LabelFormat(name='dlc', description='a DeepLabCut project folder (config.yaml, '
                  'labeled-data/)', read=read_dlc_project, is_folder=True, marker='config.yaml')
