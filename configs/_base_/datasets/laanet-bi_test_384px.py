# LAA-Net's official test preprocessing of its BI recipe (the test split of
# the official HeatmapFaceForensic loader, laanet-reference §3.6): the face
# crop resized to 317 x 317 (OpenCV bilinear, aspect not kept), cut to
# [18:299] (281 px, i.e. 18 px off every side), then the official letterbox
# warp to 384 px (x' = x·383/280); the official metric. The SBI recipe's test
# (laanet_test_384px.py) cuts 5 px off the 256-px crop instead. Inherit it
# beside a `<set>_test.py` and put the pipeline in place:
#   test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(317, 317), keep_ratio=False),
    dict(type='CenterCropLetterbox', margin=18, scale=384),
    dict(type='PackDeepfakeInputs', pair=False),
]
test_evaluator = dict(type='DeepfakeMetric')
