# Test a FakeSTormer checkpoint (ours, or a released official one) on the
# Celeb-DF v2 test set with the official clip protocol (every 4-frame chunk of
# a video, 15-px margin, letterbox to 224, video score = sigmoid of the mean
# clip logit):
#   python tools/test.py \
#       configs/fakestormer/test/fakestormer_vit-b16_test_celebdf-v2-224px.py \
#       CHECKPOINT
# The test frames must be consecutive: extract them with
# `extract_faces.py --consecutive --num-frames 0` into
# annotations/test_consecutive.json (docs/en/user_guides/prepare_data.md).
_base_ = [
    '../../_base_/models/fakestormer_vit-b16.py',
    '../../_base_/datasets/celebdf-v2_test.py',
    '../../_base_/datasets/fakestormer_test_224px.py',
    '../../_base_/default_runtime.py',
]
test_dataloader = dict(
    dataset=dict(
        clip_len={{_base_.test_clip_len}},
        ann_file={{_base_.test_clip_ann_file}},
        pipeline={{_base_.test_pipeline}}))
