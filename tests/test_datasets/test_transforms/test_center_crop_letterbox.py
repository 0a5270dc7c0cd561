# Copyright (c) laanet contributors. All rights reserved.
import hashlib
import os.path as osp

import cv2
import numpy as np
import pytest

from laanet.registry import TRANSFORMS


def build(**kw):
    return TRANSFORMS.build(dict(type='CenterCropLetterbox', **kw))


def test_official_test_geometry():
    img = np.zeros((256, 256, 3), np.uint8)
    img[5:251, 5:251] = 200  # the part that survives the 5 px crop
    img[100:110, 30:40] = 50
    t = build(margin=5, scale=384)
    lms = np.array([[5., 5.], [250., 250.], [35., 105.]])
    out = t(dict(img=img.copy(), landmarks=lms))
    assert out['img'].shape == (384, 384, 3)
    assert out['img_shape'] == (384, 384)
    # The 246 px crop fills the output edge to edge: the official geometry
    # is corner-aligned, pixel 0 -> 0 and 245 -> 383.
    assert out['img'][192].min() == 200
    s = 383 / 245
    # Landmarks follow: the crop's pixel (x - 5) maps to s * (x - 5).
    exp = (lms - 5) * s
    assert np.allclose(out['landmarks'], exp, atol=1e-4)
    x, y = np.round(out['landmarks'][2]).astype(int)
    assert out['img'][y, x, 0] == 50
    assert 'CenterCropLetterbox' in repr(t)


def test_letterbox_keeps_aspect_ratio():
    img = np.full((100, 200, 3), 255, np.uint8)
    out = build(margin=0, scale=(64, 64))(dict(img=img))['img']
    # 200x100 becomes 64x32, centred, black above and below.
    assert out[0].max() == 0 and out[-1].max() == 0
    assert out[32, 1:63].min() == 255
    rows = np.nonzero(out[:, 32, 0])[0]
    assert 30 <= len(rows) <= 34


def test_bad_arguments():
    with pytest.raises(ValueError):
        build(margin=-1)
    with pytest.raises(ValueError):
        build(interpolation='cubic')
    with pytest.raises(ValueError, match='nothing'):
        build(margin=10)(dict(img=np.zeros((16, 16, 3), np.uint8)))


OFFICIAL_TEST_PATH = osp.join(
    osp.dirname(__file__), '..', '..', 'data', 'official_e2e',
    'test_path.npz')
REPO = osp.join(osp.dirname(__file__), '..', '..', '..')


def test_official_test_input_from_face_files(tmp_path):
    """The same face file gives the network input of the official test
    path (crop_by_margin 5, letterbox to 384, /255, Normalize(0.5, 0.5),
    RGB), within one grey level (tests/data/official_e2e)."""
    from mmcv.transforms import Compose
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate

    from laanet.models.data_preprocessors import DeepfakeDataPreprocessor
    from laanet.testing.official_parity import write_face_files
    from laanet.utils.demo_media import t1_image
    if t1_image() is None:
        pytest.skip("insightface's t1.jpg is not installed")
    ref = dict(np.load(OFFICIAL_TEST_PATH))
    paths = write_face_files(str(tmp_path))
    data_cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'datasets',
                 'laanet_test_384px.py'))
    model_cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'models',
                 'laanet_efn-b4-efpn.py'))
    pipeline = Compose([TRANSFORMS.build(t) for t in data_cfg.test_pipeline])
    pre_cfg = dict(model_cfg.model.data_preprocessor)
    del pre_cfg['type']
    preprocessor = DeepfakeDataPreprocessor(**pre_cfg)
    for name, path in paths.items():
        rgb = cv2.imread(path)[..., ::-1]
        assert hashlib.sha256(np.ascontiguousarray(rgb).tobytes()).hexdigest(
        ) == str(ref[f'{name}_pixels_sha256']), (
            f'{path} is not the file the official code was run on')
        batch = pseudo_collate([pipeline(dict(img_path=path, gt_label=0))])
        inputs = preprocessor(batch)['inputs'][0].numpy()
        # in grey levels: the official input is (x / 255 - 0.5) / 0.5, RGB
        assert np.abs(inputs[:, 191, :] - ref[f'{name}_row191']).max(
        ) * 127.5 <= 1
        assert np.abs(inputs[:, :, 383] - ref[f'{name}_col383']).max(
        ) * 127.5 <= 1
        if name == 'astronaut':  # every pixel of the green channel
            green = inputs[1] * 127.5 + 127.5
            assert np.abs(green - ref['astronaut_warp_green']).max() <= 1
