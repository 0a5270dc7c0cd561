# SBI (Self-Blended Images, CVPR 2022): EfficientNet-B4 trained on
# FaceForensics++ raw (c0) originals with online self-blended fakes, the
# recipe of SBI's public code (1 GPU x 16 real/fake pairs = 32 images per
# step, SAM over SGD, 100 epochs, 380 px). Short name: sbi_efn4.py.
_base_ = [
    '../_base_/models/sbi_efn-b4.py',
    '../_base_/datasets/ffpp-raw_sbi-cls_380px.py',
    '../_base_/datasets/ffpp-raw_test.py',
    '../_base_/datasets/sbi_test_380px.py',
    '../_base_/schedules/sam-sgd_100e_sbi.py',
    '../_base_/default_runtime.py',
]
# SBI's test crop and video rule
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))

# SBI starts from the AdvProp ImageNet weights of EfficientNet-B4
# (EfficientNet.from_pretrained('efficientnet-b4', advprop=True)). Nothing
# is downloaded: put the file here (`adv-efficientnet-b4-44fb3a87.pth`,
# lukemelas keys, converted on the fly, or timm's
# `tf_efficientnet_b4.ap_in1k` weights), or pass another path with
# `--cfg-options model.backbone.init_cfg.checkpoint=PATH`, or train from
# scratch with `--cfg-options model.backbone.init_cfg=None`.
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/adv-efficientnet-b4-44fb3a87.pth')))
