# Copyright (c) laanet contributors. All rights reserved.
import pytest

from laanet.apis import MediaReadError, list_folder, media_kind


def test_media_kind(tmp_path):
    for name, kind in (('a.JPG', 'image'), ('b.png', 'image'),
                       ('c.mp4', 'video'), ('d.AVI', 'video')):
        (tmp_path / name).write_bytes(b'x')
        assert media_kind(str(tmp_path / name)) == kind
    (tmp_path / 'notes.txt').write_text('hello')
    with pytest.raises(MediaReadError, match=r'notes\.txt.*not an image'):
        media_kind(str(tmp_path / 'notes.txt'))
    with pytest.raises(MediaReadError, match='no such file'):
        media_kind(str(tmp_path / 'missing.jpg'))
    with pytest.raises(MediaReadError, match='is a folder'):
        media_kind(str(tmp_path))


def test_list_folder_lists_every_visible_file(tmp_path):
    for name in ('b.jpg', 'a.txt', '.hidden.jpg'):
        (tmp_path / name).write_bytes(b'x')
    (tmp_path / 'sub').mkdir()
    assert [p.rsplit('/', 1)[1]
            for p in list_folder(str(tmp_path))] == ['a.txt', 'b.jpg']
