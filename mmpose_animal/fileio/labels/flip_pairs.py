"""Left/right keypoint pairs for flip augmentation: inferred from names, or checked."""
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ...utils.optional_import import require

sleap_io = require('sleap_io', 'labels')

Pairs = List[Tuple[int, int]]
# names where the side word is glued to the part in lower case: 'leftear' / 'rightear'
GLUED_SIDE = re.compile(r'^(?P<pre>.*?)(?P<side>left|right)(?P<post>.*)$', re.IGNORECASE)


def _glued_key(name: str) -> Optional[Tuple[str, str]]:
    match = GLUED_SIDE.match(name)
    if match is None or not (match['pre'] + match['post']):
        return None
    return match['side'].lower(), (match['pre'] + '|' + match['post']).lower()


def infer_flip_pairs(names: Sequence[str]) -> Pairs:
    """Pair left/right keypoints by name.

    sleap-io's rule (``left``/``right`` or ``l``/``r`` as a separate name segment:
    ``left_ear``, ``earL``, ``L_paw``, ``paw_r``, ``LeftHand``) first; then names with the
    side glued on in lower case (``leftear``/``rightear``). Only one-to-one matches pair.

    Args:
        names (Sequence[str]): Keypoint names.

    Returns:
        list: ``(left, right)`` index pairs, sorted.
    """
    pairs = [tuple(p) for p in sleap_io.infer_symmetry_pairs_by_name(list(names))]
    paired = {i for pair in pairs for i in pair}
    sides: Dict[str, Dict[str, List[int]]] = {}
    for index, name in enumerate(names):
        key = None if index in paired else _glued_key(name)
        if key is not None:
            sides.setdefault(key[1], {'left': [], 'right': []})[key[0]].append(index)
    for bucket in sides.values():
        if len(bucket['left']) == 1 and len(bucket['right']) == 1:
            pairs.append((bucket['left'][0], bucket['right'][0]))
    return sorted(pairs)


def check_flip_pairs(pairs: Sequence[Tuple[int, int]], names: Sequence[str],
                     where: str) -> Pairs:
    """Check that ``pairs`` swap distinct keypoints and each keypoint at most once.

    Raises:
        ValueError: An index out of range, a keypoint paired with itself, or a keypoint in
            two pairs (``where`` and the names are in the message).
    """
    seen: Dict[int, Tuple[int, int]] = {}
    for a, b in pairs:
        for k in (a, b):
            if not 0 <= k < len(names):
                raise ValueError(f'{where}: flip pair ({a}, {b}) names keypoint {k}, but there '
                                 f'are {len(names)}')
        if a == b:
            raise ValueError(f'{where}: keypoint {names[a]!r} is paired with itself')
        for k in (a, b):
            if k in seen:
                other = seen[k]
                raise ValueError(
                    f'{where}: left/right pairs disagree: {names[k]!r} is in '
                    f'({names[other[0]]!r}, {names[other[1]]!r}) and in ({names[a]!r}, '
                    f'{names[b]!r}); give the pairs with --flip-pairs')
            seen[k] = (a, b)
    return sorted((min(a, b), max(a, b)) for a, b in pairs)


def parse_flip_pairs(text: Sequence[str], names: Sequence[str]) -> Pairs:
    """Parse ``--flip-pairs leftear:rightear ...`` (names or indices) into index pairs.

    Raises:
        ValueError: A pair is not ``A:B`` or names an unknown keypoint.
    """
    pairs = []
    for item in text:
        parts = item.split(':')
        if len(parts) != 2:
            raise ValueError(f'--flip-pairs {item!r}: expected LEFT:RIGHT (names or indices)')
        indices = []
        for part in parts:
            if part in names:
                indices.append(list(names).index(part))
            elif part.isdigit() and int(part) < len(names):
                indices.append(int(part))
            else:
                raise ValueError(f'--flip-pairs {item!r}: {part!r} is not a keypoint '
                                 f'({", ".join(names)})')
        pairs.append(tuple(indices))
    return check_flip_pairs(pairs, names, '--flip-pairs')
