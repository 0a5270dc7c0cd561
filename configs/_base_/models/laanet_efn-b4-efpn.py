# LAA-Net with an EfficientNet-B4 backbone and the E-FPN decoder, with the
# official settings (laanet-reference.md §1-§2).
#
# ImageNet (AdvProp) initialisation of the backbone: nothing is downloaded.
# The training configs (configs/laanet/) set
# `model.backbone.init_cfg = dict(type='Pretrained', checkpoint=PATH)` with
# a LOCAL file: the official `adv-efficientnet-b4-44fb3a87.pth` (lukemelas
# keys, converted on the fly) or timm's `tf_efficientnet_b4.ap_in1k` weights.
# Here the backbone starts from random weights (test configs load a whole
# checkpoint anyway).
model = dict(
    type='LAANet',
    # channels-last batches are DeepfakeDataPreprocessor's default (the one
    # switch of every config; `channels_last=False` turns it off)
    data_preprocessor=dict(
        type='DeepfakeDataPreprocessor',
        mean=[127.5, 127.5, 127.5],
        std=[127.5, 127.5, 127.5],
        to_rgb=True),
    backbone=dict(
        type='EfficientNet',
        arch='b4',
        # reduction_3..6: 56@48, 160@24, 448@12, 1792@12 at 384 px.
        out_indices=(2, 3, 4, 5),
        drop_path_rate=0.2,
        bn_momentum=0.01,
        # The official static "same" padding computed for 380 px (B4's
        # default size) while the input is 384 px: identical outputs with the
        # official weights, and the official training. None = timm's
        # dynamic TF-SAME padding (use it for other input sizes).
        static_padding_size=380,
        init_cfg=None),
    neck=dict(
        type='EFPN',
        in_channels=[56, 160, 448, 1792],
        dropout=0.4,
        use_c2=False,
        se_layer=False,
        shared_inception_pw=True),
    heatmap_head=dict(
        type='HeatmapHead',
        in_channels=112,
        feat_channels=64,
        loss=dict(
            type='HeatmapFocalLoss',
            alpha=2.0,
            beta=4.0,
            pos_weight=0.72,
            loss_weight=100.0)),
    consistency_head=dict(
        type='ConsistencyHead',
        in_channels=112,
        feat_channels=64,
        embed_channels=256,
        loss=dict(type='AnchorConsistencyLoss', loss_weight=100.0)),
    cls_head=dict(
        type='DeepfakeClsHead',
        in_channels=112,
        feat_channels=64,
        loss=dict(type='BinaryCrossEntropyLoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(flip_test=True, output_heatmaps=False))

# Class-activation maps of P(fake) beside the heatmap (`--cam`): Grad-CAM
# on the output of the classification head's stem (conv-BN-ReLU: the map
# it pools, at the heatmap's resolution).
cam_cfg = dict(method='GradCAM', target_layer='cls_head.relu')
