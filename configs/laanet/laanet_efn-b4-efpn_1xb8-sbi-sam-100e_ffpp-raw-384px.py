# LAA-Net, EfficientNet-B4 + E-FPN, trained on FaceForensics++ raw (c0)
# originals with online Self-Blended Images: the paper's SBI recipe
# (1 GPU x 8 real/fake pairs = 16 images per step, SAM over Adam, 100 epochs,
# backbone frozen in epochs 0-5). Short name: efn4_sbi.py.
_base_ = [
    '../_base_/models/laanet_efn-b4-efpn.py',
    '../_base_/datasets/ffpp-raw_sbi_384px.py',
    '../_base_/datasets/ffpp-raw_test.py',
    '../_base_/datasets/laanet_test_384px.py',
    '../_base_/schedules/sam-adam_100e.py',
    '../_base_/default_runtime.py',
]
# LAA-Net's official test crop and warp
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))

# The official recipe starts from the AdvProp ImageNet weights of
# EfficientNet-B4. Nothing is downloaded: put the file here (the official
# `adv-efficientnet-b4-44fb3a87.pth` or timm's `tf_efficientnet_b4.ap_in1k`
# weights), or pass another path with
# `--cfg-options model.backbone.init_cfg.checkpoint=PATH`, or train from
# scratch with `--cfg-options model.backbone.init_cfg=None`.
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/adv-efficientnet-b4-44fb3a87.pth')))
