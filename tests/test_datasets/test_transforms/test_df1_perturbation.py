# Copyright (c) laanet contributors. All rights reserved.
"""DF1Perturbation: the crop-protocol transform."""
import cv2
import numpy as np
import pytest
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from laanet.datasets.perturbations import df1_perturb, image_seed
from laanet.datasets.transforms import DF1Perturbation
from laanet.registry import TRANSFORMS
from laanet.utils.demo_media import astronaut_bgr


def _sample(img, path='faces/a.png', **extra):
    return dict(img=img.copy(), img_path=path, img_shape=img.shape[:2],
                **extra)


def test_registered_and_in_a_pipeline(tmp_path):
    face = astronaut_bgr()
    path = str(tmp_path / 'face.png')
    cv2.imwrite(path, face)
    init_default_scope('laanet')
    pipe = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='DF1Perturbation', kind='GB', level=3)
    ])
    out = pipe(dict(img_path=path))
    assert np.array_equal(out['img'], cv2.GaussianBlur(face, (13, 13),
                                                       13 / 6))
    assert out['perturbation'] == 'GB:3' and out['img_shape'] == (512, 512)
    assert TRANSFORMS.get('DF1Perturbation') is DF1Perturbation
    assert 'GB' in repr(DF1Perturbation(kind='GB'))


@pytest.mark.parametrize('kind', ['BW', 'GNC'])
def test_seed_per_image(kind):
    face = astronaut_bgr()
    t = DF1Perturbation(kind=kind, level=2)
    a = t(_sample(face))['img']
    assert a.tobytes() == t(_sample(face))['img'].tobytes()
    assert a.tobytes() != t(_sample(face, 'faces/b.png'))['img'].tobytes()
    assert a.tobytes() == df1_perturb(
        face, kind, 2, image_seed(kind, 2, 'faces/a.png')).tobytes()
    b = DF1Perturbation(kind=kind, level=2, seed=1)(_sample(face))['img']
    assert b.tobytes() != a.tobytes()


def test_bw_from_the_frame_size():
    face = astronaut_bgr()[:256, :256]
    # a 256 crop alone: p = 16 blocks of 8 px
    alone = DF1Perturbation(kind='BW', level=1)(_sample(face))['img']
    grey = (alone != face).any(2)
    assert 0.8 * 16 * 64 <= grey.sum() <= 16 * 64
    # cut from a 1080x1920 frame with a 512-px window: 4 * 16 = 64 blocks
    # over the frame, each 4 px in the crop; only those inside the window
    sizes = []
    for i in range(40):
        out = DF1Perturbation(kind='BW', level=1)(_sample(
            face, f'f{i}.png', frame_shape=(1080, 1920),
            crop_window=(700, 300, 1212, 812)))['img']
        changed = (out != face).any(2)
        assert (out[changed] == 128).all()
        sizes.append(changed.sum())
    # expected blocks inside: 64 * (512 * 512) / (1072 * 1912) ~ 8.2,
    # 16 px each (fewer at the window's edges)
    assert 16 * 4 < np.mean(sizes) < 16 * 14
    assert max(sizes) < 16 * 64 * 0.5


def test_bw_small_crop_as_a_256_frame():
    face = astronaut_bgr()[:236, :236]
    out = DF1Perturbation(kind='BW', level=2)(_sample(face))['img']
    grey = (out != face).any(2)
    assert (out[grey] == 128).all()
    # 32 blocks of 7 px (8 * 236 / 256)
    assert 0.8 * 32 * 49 <= grey.sum() <= 32 * 49


def test_bad_kind_and_file():
    with pytest.raises(ValueError, match='Unknown DF1'):
        DF1Perturbation(kind='JPEG-Q')
    with pytest.raises(ValueError, match='1..5'):
        DF1Perturbation(kind='CS', level=0)
    t = DF1Perturbation(kind='CS', level=1)
    # an mmcv ``to_float32`` image (0..255) is refused, not whitened
    with pytest.raises(ValueError, match='deep.png: a float image'):
        t(_sample(astronaut_bgr().astype(np.float32), 'deep.png'))
    grey = cv2.cvtColor(astronaut_bgr(), cv2.COLOR_BGR2GRAY)
    assert t(_sample(grey))['img'].shape == (512, 512, 3)
