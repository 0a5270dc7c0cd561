# SBI's test protocol (src/inference/): the detector's face box grown by
# 1/8 of its width and height on each side, resized to 380 x 380 (aspect
# not kept), RGB / 255; a frame scores the highest P(fake) among its faces
# at least half as large as the largest; a video the mean of its frames'
# probabilities.
#
# Inherit it beside a `<set>_test.py` (data root and annotation) and put
# the pipeline in place in the config itself:
#   test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
test_pipeline = [
    dict(type='LoadImageFromFile'),
    # the box is the sample's `face_box`, else the centred 1/1.25 of the
    # extracted crop (laanet's extraction window is 1.25 x the box)
    dict(type='FaceBoxCrop', size=(380, 380), side_margin=0.125),
    dict(type='PackDeepfakeInputs', pair=False),
]
test_evaluator = dict(type='DeepfakeMetric', video_score='prob_mean')
# Inference on new media (demo/, DeepfakeInferencer): crop faces at 380 px
# (laanet's 1.25 x box window), so the test crop above keeps full detail.
face_crop_cfg = dict(size=380)
