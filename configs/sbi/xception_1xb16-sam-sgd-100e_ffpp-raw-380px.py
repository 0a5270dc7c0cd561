# Baseline: SBI's recipe (self-blended pairs, SAM over SGD, 100 epochs,
# 380 px) with an Xception backbone (timm's `legacy_xception`, the
# FaceForensics++ baseline network) through TIMMBackbone. Its ImageNet
# weights are timm's (inputs in [-1, 1]); nothing is downloaded: set
# `model.backbone.checkpoint_path` to a local timm file, or train from
# scratch (the default here).
_base_ = ['./sbi_efn-b4_1xb16-sam-sgd-100e_ffpp-raw-380px.py']

model = dict(
    data_preprocessor=dict(mean=[127.5, 127.5, 127.5],
                           std=[127.5, 127.5, 127.5]),
    backbone=dict(
        _delete_=True,
        type='TIMMBackbone',
        model_name='legacy_xception',
        checkpoint_path=''),
    cls_head=dict(in_channels=2048))
# Class-activation maps (`--cam`): Xception's last feature map (a timm
# backbone without a cam_cfg gets its last spatial map by default).
cam_cfg = dict(target_layer='backbone.timm_model.act4')
