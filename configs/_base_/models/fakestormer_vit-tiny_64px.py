# A tiny FakeSTormer for CI and smoke runs (about 0.21 M parameters): the
# model of fakestormer_vit-b16.py at 64 px (4 x 4 patch cells of 16 px),
# 4-frame clips, 64-dim tokens, 2 blocks of 4 heads. Same code paths (the
# batch-0 temporal token, the official patch-map layout, the three heads and
# losses); nothing pretrained. Change the clip length with
# model.backbone.num_frames and model.temporal_head.num_frames together.
_base_ = ['./fakestormer_vit-b16.py']

model = dict(
    backbone=dict(
        img_size=64,
        embed_dims=64,
        num_layers=2,
        num_heads=4,
        num_frames=4,
        drop_path_rate=0.1),
    cls_head=dict(in_channels=64),
    temporal_head=dict(in_channels=64, num_frames=4),
    heatmap_head=dict(in_channels=64))
