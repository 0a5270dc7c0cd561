# Copyright (c) laanet contributors. All rights reserved.
import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import GenerateBlendTargets
from laanet.datasets.transforms import blend_utils, target_codec
from laanet.registry import TRANSFORMS


def _fake_boundary():
    hull = np.zeros((96, 96), np.float32)
    cv2.ellipse(hull, (48, 50), (28, 36), 0, 0, 360, 1., -1)
    mask = cv2.GaussianBlur(hull, (15, 15), 5)
    return blend_utils.boundary_map(mask / mask.max())


def _pair():
    return dict(img=np.zeros((384, 384, 3), np.uint8),
                img_fake=np.zeros((384, 384, 3), np.uint8),
                boundary_map=np.zeros((96, 96), np.float32), gt_label=0,
                boundary_map_fake=_fake_boundary(), gt_label_fake=1)


def test_pair_targets():
    heatmap_cfg = dict(input_size=(384, 384), heatmap_size=(96, 96))
    out = TRANSFORMS.build(dict(type='GenerateBlendTargets',
                                **heatmap_cfg))(_pair())
    assert out['heatmap'].shape == out['consistency'].shape == (1, 96, 96)
    assert not out['heatmap'].any() and not out['consistency'].any()
    hm, cst = out['heatmap_fake'][0], out['consistency_fake'][0]
    assert hm.dtype == cst.dtype == np.float32
    b = target_codec.quantize_boundary(_pair()['boundary_map_fake'])
    for qy in (slice(0, 48), slice(48, 96)):
        for qx in (slice(0, 48), slice(48, 96)):
            peaks = b[qy, qx] == b[qy, qx].max()
            np.testing.assert_array_equal(hm[qy, qx] == 1., peaks)
    bf = b.astype(np.float32) / 255
    np.testing.assert_allclose(cst, 1 - np.abs(bf.max() - bf), atol=1e-6)
    assert 0 <= cst.min() and cst.max() == 1


def test_real_consistency_ones_and_no_quantization():
    out = GenerateBlendTargets(real_consistency='ones', quantize=False)(
        _pair())
    assert (out['consistency'] == 1).all() and not out['heatmap'].any()
    # without quantisation only the exact float maxima are peaks
    b = _pair()['boundary_map_fake']
    assert (out['heatmap_fake'] == 1).sum() < (
        GenerateBlendTargets()(_pair())['heatmap_fake'] == 1).sum()
    assert (out['heatmap_fake'][0] == 1)[:48, :48].sum() == (
        b[:48, :48] == b[:48, :48].max()).sum()


def test_fixed_sigma_and_errors():
    out = GenerateBlendTargets(adaptive_sigma=False, sigma=3.)(_pair())
    wide = (out['heatmap_fake'] > 0.5).sum()
    narrow = (GenerateBlendTargets()(_pair())['heatmap_fake'] > 0.5).sum()
    assert wide > narrow
    res = _pair()
    res['boundary_map_fake'] = np.zeros((64, 64), np.float32)
    res['img_path'] = 'x/frame.png'
    with pytest.raises(ValueError, match='x/frame.png.*|LetterboxWarp'):
        GenerateBlendTargets()(res)
    with pytest.raises(ValueError, match='real_consistency'):
        GenerateBlendTargets(real_consistency='half')
    assert "real_consistency='zeros'" in repr(GenerateBlendTargets())
