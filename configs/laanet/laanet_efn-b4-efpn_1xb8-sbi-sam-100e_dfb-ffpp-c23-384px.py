# LAA-Net's SBI recipe (laanet_efn-b4-efpn_1xb8-sbi-sam-100e_ffpp-raw-384px.py)
# on DeepfakeBench's prepared FaceForensics++ c23: its 256-px aligned crops
# and 81-point landmarks, no re-extraction; tested on DeepfakeBench's FF++
# c23 test set. docs/en/user_guides/deepfakebench_data.md.
_base_ = [
    '../_base_/models/laanet_efn-b4-efpn.py',
    '../_base_/datasets/dfb-ffpp-c23_sbi_384px.py',
    '../_base_/datasets/dfb-ffpp-c23_test.py',
    '../_base_/datasets/laanet_test_384px.py',
    '../_base_/schedules/sam-adam_100e.py',
    '../_base_/default_runtime.py',
]
# LAA-Net's official test crop and warp
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))

# AdvProp ImageNet weights of EfficientNet-B4 from a local file, as the
# FF++ recipe (nothing is downloaded).
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/adv-efficientnet-b4-44fb3a87.pth')))
