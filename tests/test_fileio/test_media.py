"""Inputs: folders expanded, videos told from images, unreadable files named."""
import pytest

from mmpose_animal.fileio import is_video, list_inputs, read_image, read_selected


def test_list_inputs_expands_folders_lists_and_patterns_and_refuses_the_rest(tmp_path):
    folder = tmp_path / 'frames'
    folder.mkdir()
    for name in ('b.png', 'a.JPG', 'notes.csv', 'day1.mp4'):
        (folder / name).write_bytes(b'x')
    video = tmp_path / 'clip.mp4'
    video.write_bytes(b'x')
    assert list_inputs([str(folder), str(video)]) == [
        str(folder / 'a.JPG'), str(folder / 'b.png'), str(folder / 'day1.mp4'), str(video)]
    assert is_video(str(video)) and not is_video(str(folder / 'b.png'))
    listed = tmp_path / 'videos.txt'  # a list: relative to its folder, comments skipped
    listed.write_text('# the experiment\nclip.mp4\n\nframes/day1.mp4\nclip.mp4\n')
    assert list_inputs([str(listed)]) == [str(tmp_path / 'clip.mp4'),
                                          str(tmp_path / 'frames' / 'day1.mp4')]
    assert list_inputs([str(tmp_path / '*' / '*.mp4'), str(tmp_path / '*.mp4')]) == [
        str(folder / 'day1.mp4'), str(video)]

    with pytest.raises(FileNotFoundError, match='missing.png does not exist'):
        list_inputs([str(tmp_path / 'missing.png')])
    with pytest.raises(FileNotFoundError, match=r'\*.avi matches no file'):
        list_inputs([str(tmp_path / '*.avi')])
    with pytest.raises(ValueError, match='notes.csv is not an image'):
        list_inputs([str(folder / 'notes.csv')])
    empty = tmp_path / 'empty'
    empty.mkdir()
    with pytest.raises(ValueError, match='empty holds no image'):
        list_inputs([str(empty)])


def test_read_image_names_a_corrupt_file(tmp_path):
    broken = tmp_path / 'broken.jpg'
    broken.write_bytes(b'not a jpeg')
    with pytest.raises(ValueError, match='broken.jpg is corrupt'):
        read_image(str(broken))


def test_read_selected_gives_the_wanted_frames_and_stops_after_the_last():
    consumed = []

    def frames():
        for index in range(100):
            consumed.append(index)
            yield f'frame{index}'
    assert list(read_selected(frames(), [7, 3, 12])) == [(3, 'frame3'), (7, 'frame7'),
                                                        (12, 'frame12')]
    assert max(consumed) <= 13
    assert list(read_selected(frames(), [])) == []
