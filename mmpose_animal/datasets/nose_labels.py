"""Read pet-nose label files in the public ``train_noses.txt`` format.

One line per image, no header, CRLF or LF line ends, coordinates in original-image pixels::

    beagle_154.jpg,"(162, 169)"
"""
import os.path as osp
import re
from dataclasses import dataclass
from typing import List, Tuple

from .annotation_checks import read_image_size

NOSE_LINE = re.compile(
    r'^\s*(?P<name>[^,"]+?)\s*,\s*"?\s*\(\s*(?P<x>[-+]?\d+(?:\.\d*)?)\s*,\s*'
    r'(?P<y>[-+]?\d+(?:\.\d*)?)\s*\)\s*"?\s*$')


@dataclass(frozen=True)
class NoseLabel:
    """One labelled nose.

    Args:
        file_name (str): Image file name, as written in the label file.
        x (float): Nose x in original-image pixels.
        y (float): Nose y in original-image pixels.
        line_no (int): 1-based line number in the label file (for error messages).
    """

    file_name: str
    x: float
    y: float
    line_no: int


def parse_nose_line(line: str, path: str, line_no: int) -> NoseLabel:
    """Parse one ``<file name>,"(<x>, <y>)"`` line.

    Raises:
        ValueError: The line does not match the format; the message names the file, the
            line number and the line.
    """
    match = NOSE_LINE.match(line)
    if match is None:
        raise ValueError(f'{path}:{line_no}: malformed nose label {line!r}; expected '
                         f'<file name>,"(<x>, <y>)", e.g. beagle_154.jpg,"(162, 169)"')
    return NoseLabel(match['name'], float(match['x']), float(match['y']), line_no)


def read_nose_labels(path: str) -> List[NoseLabel]:
    """Read every label of a noses file (``train_noses.txt``, ``test_noses.txt``, ...).

    Blank lines (such as a trailing one) are not labels and are skipped; everything else
    must parse.

    Args:
        path (str): The label file.

    Returns:
        List[NoseLabel]: The labels in file order.

    Raises:
        ValueError: A line is malformed, a file name appears twice (both line numbers are
            named) or the file holds no label.
    """
    with open(path, encoding='utf-8-sig', newline=None) as file:
        lines = file.read().splitlines()
    labels: List[NoseLabel] = []
    first_line = {}
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        label = parse_nose_line(line, path, line_no)
        if label.file_name in first_line:
            raise ValueError(f'{path}:{line_no}: {label.file_name} is labelled again (first '
                             f'on line {first_line[label.file_name]}); one nose per image')
        first_line[label.file_name] = line_no
        labels.append(label)
    if not labels:
        raise ValueError(f'{path}: no nose labels in the file')
    return labels


def format_nose_line(file_name: str, x: float, y: float) -> str:
    """Format one label as the public files do (integers when the coordinates are whole)."""
    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else f'{value:.2f}'
    return f'{file_name},"({number(x)}, {number(y)})"'


def nose_coco_entry(label: NoseLabel, index: int, image_dir: str,
                    label_file: str) -> Tuple[dict, dict]:
    """The COCO image and annotation of one label: the whole image is the box, image and
    annotation ids are the label's 0-based ``index`` in its file, and the annotation keeps
    the label's ``line_no`` (for messages).

    Args:
        label (NoseLabel): The label.
        index (int): Its 0-based position in the label file.
        image_dir (str): Folder of the images.
        label_file (str): The label file, for error messages.

    Returns:
        tuple: (image dict, annotation dict).

    Raises:
        FileNotFoundError | ValueError: The image is missing or not an image.
    """
    width, height = read_image_size(osp.join(image_dir, label.file_name),
                                    f'{label_file}:{label.line_no}')
    image = dict(id=index, file_name=label.file_name, width=width, height=height)
    annotation = dict(
        id=index, image_id=index, category_id=1, bbox=[0.0, 0.0, float(width), float(height)],
        area=float(width * height), iscrowd=0, num_keypoints=1,
        keypoints=[label.x, label.y, 2], line_no=label.line_no)
    return image, annotation


def missing_images(labels: List[NoseLabel], image_dir: str) -> List[NoseLabel]:
    """The labels whose image is not in ``image_dir``."""
    return [label for label in labels if not osp.isfile(osp.join(image_dir, label.file_name))]


def missing_message(missing: List[NoseLabel], label_file: str, image_dir: str,
                    shown: int = 20) -> str:
    """``N image(s) listed in <file> are missing from <dir>: a.jpg (line 3), ...``."""
    names = ', '.join(f'{m.file_name} (line {m.line_no})' for m in missing[:shown])
    more = f' and {len(missing) - shown} more' if len(missing) > shown else ''
    return (f'{len(missing)} image(s) listed in {label_file} are missing from {image_dir}: '
            f'{names}{more}')
