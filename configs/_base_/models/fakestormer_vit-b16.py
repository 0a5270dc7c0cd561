# FakeSTormer (ICCV 2025): the divided space-time ViT-B/16 with the temporal
# token and its three heads, with the official settings
# (fakestormer-reference.md §2). Clips (N, 3, 4, 224, 224), ImageNet mean/std.
#
# MAE / timm ViT-B/16 initialisation of the backbone: nothing is downloaded.
# The training configs set `model.backbone.init_cfg = dict(type='Pretrained',
# checkpoint=PATH)` with a LOCAL file (MAE's mae_pretrain_vit_base.pth, the
# official choice, or timm's vit_base_patch16_224.mae weights; see
# docs/en/advanced_guides/fakestormer.md). Here the backbone gets the
# official random init (test configs load a whole checkpoint anyway).
model = dict(
    type='FakeSTormer',
    data_preprocessor=dict(
        type='DeepfakeDataPreprocessor',
        layout='clip',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='TimeViT',
        img_size=224,
        patch_size=16,
        embed_dims=768,
        num_layers=12,
        num_heads=12,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=4,
        drop_path_rate=0.3,
        # the official quirks (spec §8 items 1-2), which the released
        # weights were trained with: 'own' / 'learned' and 'natural' fix them
        temporal_token='batch0',
        feature_layout='official',
        fused_attention=True,
        init_cfg=None),
    cls_head=dict(
        type='TokenClsHead',
        in_channels=768,
        loss=dict(
            type='BinaryCrossEntropyLoss', loss_weight=0.8,
            temperature=2.0)),
    temporal_head=dict(
        type='FrameLogitsHead',
        in_channels=768,
        num_frames=4,
        dropout_rate=0.2,
        loss=dict(type='BinaryCrossEntropyLoss', loss_weight=0.2)),
    heatmap_head=dict(
        type='TemporalHeatmapHead',
        in_channels=768,
        num_convs=1,
        bn_momentum=0.05,
        loss=dict(type='MaskedMSELoss', loss_weight=100.0)),
    train_cfg=dict(),
    # official test: no flip; temporal_token=None keeps the backbone's mode
    test_cfg=dict(flip_test=False, output_heatmaps=True, temporal_token=None))
