"""Tiny label sources in each format, written in the test's folder."""
import json
import os
import os.path as osp
from typing import Dict, List, Sequence

import cv2
import numpy as np
import yaml

# ../shared/data beside the checkout (see its README)
SHARED = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))),
                  'shared', 'data')
SHARED_DLC = osp.join(SHARED, 'dlc-openfield')


def write_images(folder: str, names: Sequence[str], size=(48, 64)) -> List[str]:
    os.makedirs(folder, exist_ok=True)
    paths = []
    for i, name in enumerate(names):
        image = np.full(size + (3,), 40 + 10 * i, np.uint8)
        path = osp.join(folder, name)
        cv2.imwrite(path, image)
        paths.append(path)
    return paths


def write_dlc_project(root: str, bodyparts=('snout', 'leftear', 'rightear'),
                      table_parts=None, videos: Dict[str, int] = None,
                      nan_rows=(), skeleton=(('snout', 'leftear'),)) -> str:
    """A single-animal DLC project: config.yaml and one CSV table per video folder.

    Point k of frame i of video v is at (10 + k + i, 20 + v_index + 2 * k).
    """
    videos = videos or {'v1': 4, 'v2': 3, 'v3': 3}
    table_parts = list(table_parts or bodyparts)
    with open(osp.join(root, 'config.yaml'), 'w') if osp.isdir(root) else _mkdir_open(root) as f:
        yaml.safe_dump(dict(Task='t', scorer='me', multianimalproject=False,
                            bodyparts=list(bodyparts), skeleton=[list(s) for s in skeleton]), f)
    for v, (video, count) in enumerate(videos.items()):
        folder = osp.join(root, 'labeled-data', video)
        names = [f'img{i:04d}.png' for i in range(count)]
        write_images(folder, names)
        header = [['scorer'] + ['me'] * 2 * len(table_parts),
                  ['bodyparts'] + [p for p in table_parts for _ in 'xy'],
                  ['coords'] + ['x', 'y'] * len(table_parts)]
        rows = []
        for i, name in enumerate(names):
            values = []
            for k, _ in enumerate(table_parts):
                nan = (video, i, k) in nan_rows
                values += ['' if nan else f'{10 + k + i}', '' if nan else f'{20 + v + 2 * k}']
            rows.append([f'labeled-data/{video}/{name}'] + values)
        with open(osp.join(folder, 'CollectedData_me.csv'), 'w') as file:
            file.write('\n'.join(','.join(r) for r in header + rows) + '\n')
    return root


def _mkdir_open(root):
    os.makedirs(root)
    return open(osp.join(root, 'config.yaml'), 'w')


def write_coco(root: str, names=('a', 'b'), num=6) -> str:
    write_images(osp.join(root, 'imgs'), [f'{i}.png' for i in range(num)])
    images = [dict(id=i, file_name=f'{i}.png', width=64, height=48) for i in range(num)]
    annotations = [dict(id=i, image_id=i, category_id=3, iscrowd=0, bbox=[0, 0, 64, 48],
                        keypoints=[5 + i, 6, 2, 7, 8 + i, 0 if i == 0 else 2])
                   for i in range(num)]
    path = osp.join(root, 'labels.json')
    with open(path, 'w') as file:
        json.dump(dict(images=images, annotations=annotations, categories=[
            dict(id=3, name='worm', keypoints=list(names), skeleton=[[1, 2]])]), file)
    return path


def read_split(out: str, split: str) -> dict:
    with open(osp.join(out, 'annotations', f'{split}.json')) as file:
        return json.load(file)
