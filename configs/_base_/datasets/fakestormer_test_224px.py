# FakeSTormer's official test protocol (fakestormer-reference §6): every
# video cut into consecutive non-overlapping 4-frame clips from frame 0 (the
# incomplete tail dropped); per frame a 15-px margin off the 256-px face crop
# (226 px), then the official corner-aligned letterbox to 224 px; the video
# score is the sigmoid of the mean clip logit.
#
# The clips need every frame of a video, in order: extract the test set with
# `extract_faces.py --consecutive --num-frames 0` into
# `annotations/test_consecutive.json` (docs/en/user_guides/prepare_data.md).
# Inherit this beside a `<set>_test.py` and put the clip settings in place
# (the names are test-specific, so that a training config can inherit this
# beside its training data config):
#   test_dataloader = dict(dataset=dict(
#       clip_len={{_base_.test_clip_len}},
#       ann_file={{_base_.test_clip_ann_file}},
#       pipeline={{_base_.test_pipeline}}))
test_clip_len = 4
test_clip_ann_file = 'annotations/test_consecutive.json'
test_pipeline = [
    dict(type='LoadClipFrames'),
    dict(
        type='ClipFramewise',
        transforms=[dict(type='CenterCropLetterbox', margin=15, scale=224)]),
    dict(type='PackClipInputs', pair=False),
]
test_evaluator = dict(type='DeepfakeMetric', video_score='logit_mean')
