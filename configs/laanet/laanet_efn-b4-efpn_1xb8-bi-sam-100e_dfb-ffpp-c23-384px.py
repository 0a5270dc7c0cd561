# LAA-Net's BI recipe (laanet_efn-b4-efpn_1xb8-bi-sam-100e_ffpp-raw-384px.py)
# on DeepfakeBench's prepared FaceForensics++ c23. Write the BI partner
# lists first (tools/dataset_converters/deepfakebench_best_match.py;
# configs/_base_/datasets/dfb-ffpp-c23_bi_384px.py).
_base_ = [
    '../_base_/models/laanet_efn-b4-efpn.py',
    '../_base_/datasets/dfb-ffpp-c23_bi_384px.py',
    '../_base_/datasets/dfb-ffpp-c23_test.py',
    '../_base_/datasets/laanet-bi_test_384px.py',
    '../_base_/schedules/sam-adam_100e.py',
    '../_base_/default_runtime.py',
]
# the official BI recipe's test: resize to 317, cut to 281, warp to 384
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))

# AdvProp ImageNet weights of EfficientNet-B4 from a local file, as the
# FF++ recipe (nothing is downloaded).
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/adv-efficientnet-b4-44fb3a87.pth')),
    # the official BI config weighs the heatmap loss 10 (SBI: 100)
    heatmap_head=dict(loss=dict(loss_weight=10.0)))
