"""How long reading a real-sized pet-nose label file takes (5,494 lines, like train_noses.txt).

Builds a folder of 5,494 JPEG files (hard links to 40 rendered pet images, so every name is
a real file with a real header) and a CRLF label file, then times, best of 3:
parsing the labels only, and building ``PetNoseDataset`` (parsing + one image-header read per
line + keypoint checks).

    python benchmarks/bench_petnose_parse.py

Writes benchmarks/results/petnose_parse.{json,md}.
"""
import os
import os.path as osp
import tempfile
import time

from mmengine.registry import init_default_scope

from mmpose_animal.data_tools import make_synthetic_petnose
from mmpose_animal.datasets import PetNoseDataset, read_nose_labels
from common import machine, markdown_table, write_results

NUM_LINES = 5494


def best_of(function, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    init_default_scope('mmpose')
    with tempfile.TemporaryDirectory() as root:
        make_synthetic_petnose(root, num=40, seed=0, test_ratio=0.0)
        sources = read_nose_labels(osp.join(root, 'train_noses.txt'))
        lines = []
        for index in range(NUM_LINES):
            source = sources[index % len(sources)]
            name = f'{source.file_name[:-4]}_{index}.jpg'
            os.link(osp.join(root, 'images', source.file_name), osp.join(root, 'images', name))
            lines.append(f'{name},"({int(source.x)}, {int(source.y)})"\r\n')
        label_file = osp.join(root, 'big_train_noses.txt')
        with open(label_file, 'w', newline='') as file:
            file.writelines(lines)

        parse = best_of(lambda: read_nose_labels(label_file))
        build = best_of(lambda: PetNoseDataset(ann_file=label_file,
                                               data_prefix=dict(img=osp.join(root, 'images/')),
                                               pipeline=[]))
    rows = [['parse the label file', NUM_LINES, parse, NUM_LINES / parse],
            ['build PetNoseDataset (parse + image headers + checks)', NUM_LINES, build,
             NUM_LINES / build]]
    table = markdown_table(['step', 'lines', 'seconds (best of 3)', 'lines/s'], rows)
    info = machine()
    markdown = (f'# Reading a train_noses.txt-sized label file\n\nMeasured by `python '
                f'benchmarks/bench_petnose_parse.py` on {info["cpu"]} ({info["cores"]} '
                f'cores), files on local disk (page cache warm after the first of 3 runs).'
                f'\n\n{table}\n')
    print(table)
    write_results('petnose_parse', dict(machine=info, lines=NUM_LINES, parse_seconds=parse,
                                        build_seconds=build), markdown)


if __name__ == '__main__':
    main()
