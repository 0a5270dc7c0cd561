# Copyright (c) laanet contributors. All rights reserved.
"""Inference accepts exactly the media that data preparation reads."""
import os

import pytest

from laanet.apis.media_io import MediaReadError, media_kind
from laanet.preprocessing.video_sources import (list_image_sequences,
                                                list_video_files)
from laanet.utils.media import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS

CANDIDATES = sorted(
    set(IMAGE_EXTENSIONS + VIDEO_EXTENSIONS + (
        '.gif', '.txt', '.json', '.heic', '.MP4', '.JPG', '.npy', '.mts')))


def test_inference_and_extraction_accept_the_same_files(tmp_path):
    videos = tmp_path / 'videos'
    videos.mkdir()
    for ext in CANDIDATES:
        name = 'clip' + ext.replace('.', '_') + ext
        (videos / name).write_bytes(b'x')
        seq = tmp_path / 'frames' / ('seq' + ext.replace('.', '_'))
        seq.mkdir(parents=True)
        (seq / ('0000' + ext)).write_bytes(b'x')
    listed_videos = {
        os.path.splitext(p)[1].lower()
        for p in list_video_files(str(videos))
    }
    listed_frames = {
        '.' + rel.split('_', 1)[1].lower()
        for rel in list_image_sequences(str(tmp_path / 'frames'))
    }
    for ext in CANDIDATES:
        path = str(videos / ('clip' + ext.replace('.', '_') + ext))
        try:
            kind = media_kind(path)
        except MediaReadError:
            kind = None
        assert (kind == 'video') == (ext.lower() in listed_videos), ext
        assert (kind == 'image') == (ext.lower() in listed_frames), ext


@pytest.mark.parametrize('exts', [IMAGE_EXTENSIONS, VIDEO_EXTENSIONS])
def test_extensions_are_lower_case_and_disjoint(exts):
    assert all(e == e.lower() and e.startswith('.') for e in exts)
    assert not set(IMAGE_EXTENSIONS) & set(VIDEO_EXTENSIONS)
