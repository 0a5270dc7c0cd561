# SBI's detector (Shiohara and Yamasaki, CVPR 2022): EfficientNet-B4
# (efficientnet_pytorch's, AdvProp ImageNet init) with a 2-logit softmax
# head, fed RGB in [0, 1] with no mean/std normalisation (SBI's
# `img / 255`). docs/en/advanced_guides/sbi.md lists the facts.
#
# Here the backbone starts from random weights; the training config sets
# a LOCAL AdvProp file (nothing is downloaded), test configs load a whole
# checkpoint (laanet's, or SBI's released FFraw.tar / FFc23.tar, converted
# on the fly).
model = dict(
    type='DeepfakeClassifier',
    data_preprocessor=dict(
        type='DeepfakeDataPreprocessor',
        mean=[0., 0., 0.],
        std=[255., 255., 255.],
        to_rgb=True),
    backbone=dict(
        type='EfficientNet',
        arch='b4',
        out_indices=(5, ),  # the head conv: 1792 x 12 x 12 at 380 px
        drop_path_rate=0.2,  # efficientnet_pytorch's drop_connect_rate
        bn_momentum=0.01,  # its batch_norm_momentum 0.99 in TF terms
        # efficientnet_pytorch's static "same" padding for B4's 380 px
        static_padding_size=380,
        init_cfg=None),
    neck=dict(type='GlobalAveragePooling'),
    cls_head=dict(
        type='LinearClsHead',
        in_channels=1792,
        num_classes=2,  # softmax over (real, fake); P(fake) = softmax[1]
        dropout_rate=0.4,  # efficientnet_pytorch's B4 dropout
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    test_cfg=dict(flip_test=False))  # SBI tests without flips

# Class-activation maps of P(fake) (`--cam` of the demos and the web app,
# tools/analysis_tools/explain_faces.py): Grad-CAM on the last feature map
# of the backbone, the head conv's (1792 x 12 x 12 at 380 px).
cam_cfg = dict(method='GradCAM', target_layer='backbone.bn2')
