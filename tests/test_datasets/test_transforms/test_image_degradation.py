# Copyright (c) laanet contributors. All rights reserved.
"""ImageDegradation: the common set as a transform."""
import numpy as np
import pytest

from laanet.datasets.perturbations import degrade, image_seed
from laanet.datasets.transforms import ImageDegradation
from laanet.utils.demo_media import astronaut_bgr


@pytest.mark.parametrize('kind', ['jpeg_quality', 'blur', 'resize', 'noise'])
def test_transform_equals_function(kind):
    face = astronaut_bgr()
    out = ImageDegradation(kind=kind, level=4)(dict(img=face.copy(),
                                                    img_path='a.png'))
    want = degrade(face, kind, 4, image_seed(kind, 4, 'a.png'))
    assert np.array_equal(out['img'], want)
    assert out['perturbation'] == f'{kind}:4'
    assert not np.array_equal(out['img'], face)


def test_rejects_df1_codes():
    with pytest.raises(ValueError, match='DF1Perturbation'):
        ImageDegradation(kind='JPEG')
