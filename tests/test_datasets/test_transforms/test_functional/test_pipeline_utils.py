# Copyright (c) laanet contributors. All rights reserved.
from mmcv.transforms import LoadImageFromFile

from laanet.datasets.transforms.functional.pipeline_utils import (
    is_loading_step, strip_loading)


def test_strip_loading_scoped_plain_and_class_types():
    pipeline = [
        dict(type='mmcv.LoadImageFromFile'),
        dict(type='LoadLandmarks'),
        dict(type=LoadImageFromFile),
        dict(type='CenterCropLetterbox', margin=5),
        dict(type='PackDeepfakeInputs'),
    ]
    out = strip_loading(pipeline)
    assert [t['type'] for t in out] == [
        'CenterCropLetterbox', 'PackDeepfakeInputs'
    ]
    out[0]['margin'] = 7
    assert pipeline[3]['margin'] == 5  # deep copies
    assert is_loading_step(dict(type='laanet.LoadLandmarks'))
    assert not is_loading_step(dict(type='SelfBlend'))
