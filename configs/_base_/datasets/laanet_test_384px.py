# LAA-Net's official test preprocessing, 384-px input: the 256-px face crop
# loses 5 px on every side (246 px), then the official letterbox warp to
# 384 px (corner-aligned); the official metric (video score = mean frame
# logit). Inherit it beside a `<set>_test.py` and put the pipeline in place:
#   test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='CenterCropLetterbox', margin=5, scale=384),
    dict(type='PackDeepfakeInputs', pair=False),
]
test_evaluator = dict(type='DeepfakeMetric')
