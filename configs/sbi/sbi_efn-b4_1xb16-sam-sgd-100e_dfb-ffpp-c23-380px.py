# SBI's recipe (sbi_efn-b4_1xb16-sam-sgd-100e_ffpp-raw-380px.py) on
# DeepfakeBench's prepared FaceForensics++ c23 (its crops and 81-point
# landmarks); tested on DeepfakeBench's FF++ c23 test set with SBI's
# protocol. docs/en/user_guides/deepfakebench_data.md.
_base_ = [
    '../_base_/models/sbi_efn-b4.py',
    '../_base_/datasets/dfb-ffpp-c23_sbi-cls_380px.py',
    '../_base_/datasets/dfb-ffpp-c23_test.py',
    '../_base_/datasets/sbi_test_380px.py',
    '../_base_/schedules/sam-sgd_100e_sbi.py',
    '../_base_/default_runtime.py',
]
# SBI's test crop and video rule
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))

# AdvProp ImageNet weights of EfficientNet-B4 from a local file, as the
# FF++ recipe (nothing is downloaded).
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/adv-efficientnet-b4-44fb3a87.pth')))
