# LAA-Net, EfficientNet-B4 + E-FPN, trained on FaceForensics++ raw (c0)
# with online Blended Images (Face X-ray style, a partner face from another
# video): the paper's BI recipe. Each item is one image, real or fake with
# p=0.5. Short name: efn4_bi.py.
_base_ = [
    '../_base_/models/laanet_efn-b4-efpn.py',
    '../_base_/datasets/ffpp-raw_bi_384px.py',
    '../_base_/datasets/ffpp-raw_test.py',
    '../_base_/datasets/laanet_test_384px.py',
    '../_base_/schedules/sam-adam_100e.py',
    '../_base_/default_runtime.py',
]
# LAA-Net's official test crop and warp
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))

# AdvProp ImageNet weights of EfficientNet-B4 from a local file (see the SBI
# config); nothing is downloaded.
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/adv-efficientnet-b4-44fb3a87.pth')),
    # the official BI config weighs the heatmap loss 10 (SBI: 100)
    heatmap_head=dict(loss=dict(loss_weight=10.0)))
