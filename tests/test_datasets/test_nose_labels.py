import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmpose_animal.datasets import format_nose_line, read_nose_labels


def write(path, text, newline='\r\n'):
    path.write_bytes(text.replace('\n', newline).encode())
    return str(path)


@pytest.mark.parametrize('name', ['train_noses.txt', 'test_noses.txt', 'train_noses.3.txt',
                                  'train-noses.txt'])
@pytest.mark.parametrize('newline', ['\r\n', '\n'])
def test_reads_the_public_format(tmp_path, name, newline):
    path = write(tmp_path / name, 'beagle_154.jpg,"(162, 169)"\n'
                 'Abyssinian_1.jpg,"(10,  20)"\n'
                 '  pug_3.jpg , "( 7.5 , 8 )"  \n', newline)
    labels = read_nose_labels(path)
    assert [(l.file_name, l.x, l.y, l.line_no) for l in labels] == [
        ('beagle_154.jpg', 162.0, 169.0, 1), ('Abyssinian_1.jpg', 10.0, 20.0, 2),
        ('pug_3.jpg', 7.5, 8.0, 3)]


def test_trailing_blank_line_and_bom_are_not_labels(tmp_path):
    path = tmp_path / 'train_noses.txt'
    path.write_bytes('\ufeffa.jpg,"(1, 2)"\r\n\r\n'.encode('utf-8'))
    assert len(read_nose_labels(str(path))) == 1


@pytest.mark.parametrize('line', ['beagle_154.jpg,(162 169)', 'beagle_154.jpg',
                                  'beagle_154.jpg,"(162, )"', ',"(1, 2)"',
                                  'beagle_154.jpg,"(162, 169, 3)"'])
def test_malformed_line_names_file_line_and_text(tmp_path, line):
    path = write(tmp_path / 'train_noses.txt', f'ok.jpg,"(1, 2)"\n{line}\n')
    with pytest.raises(ValueError) as error:
        read_nose_labels(path)
    assert f'{path}:2: malformed nose label {line!r}' in str(error.value)


def test_duplicated_file_name_is_an_error(tmp_path):
    path = write(tmp_path / 'train_noses.txt', 'a.jpg,"(1, 2)"\nb.jpg,"(1, 2)"\na.jpg,"(3, 4)"\n')
    with pytest.raises(ValueError, match=r':3: a.jpg is labelled again \(first on line 1\)'):
        read_nose_labels(path)


def test_empty_file_is_an_error(tmp_path):
    path = write(tmp_path / 'test_noses.txt', '\n\n')
    with pytest.raises(ValueError, match='no nose labels in the file'):
        read_nose_labels(path)


def test_format_round_trips():
    assert format_nose_line('beagle_154.jpg', 162, 169) == 'beagle_154.jpg,"(162, 169)"'
    assert format_nose_line('x.jpg', 1.25, 2) == 'x.jpg,"(1.25, 2)"'


def test_a_file_as_large_as_the_real_train_file(tmp_path):
    # (its parsing speed is measured in benchmarks/bench_petnose_parse.py)
    lines = [format_nose_line(f'breed_{i}.jpg', i % 400, i % 300) for i in range(5494)]
    path = write(tmp_path / 'train_noses.txt', '\n'.join(lines) + '\n')
    labels = read_nose_labels(path)
    assert len(labels) == 5494 and labels[-1].line_no == 5494
    assert (labels[-1].x, labels[-1].y) == (5493 % 400, 5493 % 300)


LINE_BREAKS = '\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'


@settings(max_examples=150, deadline=None)
@given(line=st.text(st.characters(blacklist_categories=('Cs',),
                                  blacklist_characters=LINE_BREAKS), max_size=40))
def test_any_line_parses_or_is_an_error_naming_file_and_line(tmp_path_factory, line):
    path = tmp_path_factory.mktemp('fuzz') / 'noses.txt'
    path.write_bytes(f'first.jpg,"(1, 2)"\r\n{line}\r\n'.encode('utf-8'))
    try:
        labels = read_nose_labels(str(path))
    except ValueError as error:
        assert f'{path}:2' in str(error)
        return
    if line.strip():
        assert len(labels) == 2 and labels[1].line_no == 2  # never silently dropped
    else:
        assert len(labels) == 1  # a blank line is not a label


@settings(max_examples=100, deadline=None)
@given(x=st.floats(-1e6, 1e6, allow_nan=False), y=st.floats(-1e6, 1e6, allow_nan=False),
       name=st.from_regex(r'[A-Za-z0-9_\-]{1,12}\.jpg', fullmatch=True))
def test_formatted_labels_read_back(tmp_path_factory, x, y, name):
    path = tmp_path_factory.mktemp('fuzz') / 'noses.txt'
    path.write_text(format_nose_line(name, x, y) + '\r\n')
    (label,) = read_nose_labels(str(path))
    assert label.file_name == name
    assert label.x == pytest.approx(x, abs=0.006) and label.y == pytest.approx(y, abs=0.006)
