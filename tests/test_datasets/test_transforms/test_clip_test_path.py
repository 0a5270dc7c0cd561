# Copyright (c) laanet contributors. All rights reserved.
"""File in -> network input: FakeSTormer's clip test config against the
official test split (tests/data/fakestormer/README.md,
``official_test_path.npz``)."""
import hashlib
import os.path as osp

import cv2
import numpy as np
import pytest

REPO = osp.join(osp.dirname(osp.abspath(__file__)), '..', '..', '..')
REF = osp.join(REPO, 'tests', 'data', 'fakestormer', 'official_test_path.npz')


def test_clip_test_input_equals_the_official_test_split(tmp_path):
    """Four face files read as one 4-frame clip by
    ``configs/fakestormer/fakestormer_c23.py``'s test pipeline and data
    preprocessor give the official network input (15-px margin, corner
    letterbox to 224, RGB, ImageNet normalisation) within float rounding."""
    from mmengine.config import Config
    from mmengine.dataset import Compose, pseudo_collate
    from mmengine.registry import init_default_scope

    from laanet.registry import MODELS
    from laanet.testing.official_parity import write_face_files
    from laanet.utils.demo_media import t1_image
    if t1_image() is None:
        pytest.skip("insightface's t1.jpg is not installed")
    ref = dict(np.load(REF))
    files = write_face_files(str(tmp_path))
    names = [str(n) for n in ref['names']]
    paths = [files[n] for n in names]
    for name, path in zip(names, paths):
        rgb = np.ascontiguousarray(cv2.imread(path)[..., ::-1])
        assert hashlib.sha256(rgb.tobytes()).hexdigest() == str(
            ref[f'{name}_pixels_sha256']), (
                f'{path} is not the file the official code was run on')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'fakestormer', 'fakestormer_c23.py'))
    init_default_scope('laanet')
    pipeline = Compose(cfg.test_dataloader.dataset.pipeline)
    item = pipeline(
        dict(img_path=paths, gt_label=0, video_id='clip', frame_idx=0,
             frame_indices=np.arange(4)))
    preprocessor = MODELS.build(cfg.model.data_preprocessor)
    inputs = preprocessor(pseudo_collate([item]))['inputs'][0].numpy()
    assert inputs.shape == (3, 4, 224, 224)
    for t, name in enumerate(names):
        # normalised units (std 57-58 grey levels): float32 against the
        # official float64; the uint8 warps are identical
        assert np.abs(inputs[:, t, 111, :] - ref[f'{name}_row111']).max(
        ) < 1e-5
        assert np.abs(inputs[:, t, :, 223] - ref[f'{name}_col223']).max(
        ) < 1e-5
        assert abs(float(inputs[:, t].mean()) - float(ref[f'{name}_mean'])
                   ) < 1e-5
