# Copyright (c) laanet contributors. All rights reserved.
"""The perturbation transforms on clips (lists of frames)."""
import numpy as np
import pytest

from laanet.datasets.transforms import DF1Perturbation, ImageDegradation
from laanet.utils.demo_media import astronaut_bgr


def _frames(n=3):
    face = astronaut_bgr()[:128, :128]
    return [np.roll(face, 5 * t, axis=1) for t in range(n)]


@pytest.mark.parametrize('make', [
    lambda: DF1Perturbation(kind='GNC', level=3),
    lambda: DF1Perturbation(kind='BW', level=2, seed=7),
    lambda: DF1Perturbation(kind='CS', level=4),
    lambda: ImageDegradation(kind='jpeg_quality', level=3),
])
def test_each_frame_is_perturbed_as_an_image(make):
    t = make()
    frames = _frames()
    paths = [f'v/{i:03d}.png' for i in range(3)]
    shapes = [[720, 1280]] * 3
    out = t(dict(img=[f.copy() for f in frames], img_path=paths,
                 frame_shape=shapes, video_id='v'))
    assert isinstance(out['img'], list) and len(out['img']) == 3
    assert out['img_shape'] == (128, 128)
    assert out['perturbation'] == f'{t.kind}:{t.level}'
    for frame, path, got in zip(frames, paths, out['img']):
        want = make()(dict(img=frame.copy(), img_path=path,
                           frame_shape=[720, 1280]))['img']
        assert np.array_equal(got, want)
        assert not np.array_equal(got, frame)
