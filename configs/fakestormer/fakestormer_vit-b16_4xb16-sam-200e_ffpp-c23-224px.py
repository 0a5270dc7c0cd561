# FakeSTormer, TimeViT-B/16 with the temporal token, trained on
# FaceForensics++ c23 originals with online video Self-Blended Images: the
# official c23 recipe (configs/temporal/FakeSFormer_base_c23.yaml): 4 GPUs x
# 16 real/fake clip pairs, SAM over Adam, 200 epochs, lr peak 5e-5 at epoch
# 50, backbone frozen in epochs 0-4. Short name: fakestormer_c23.py.
#
# The clip data (video SBI training set, clip test set) comes from
# configs/_base_/datasets/ffpp-c23_video-sbi_224px.py and
# fakestormer_test_224px.py, which the clip-data work adds to `_base_`.
_base_ = [
    '../_base_/models/fakestormer_vit-b16.py',
    '../_base_/schedules/sam-adam_fakestormer.py',
    '../_base_/default_runtime.py',
]

# The official recipe starts from MAE's ViT-B/16 encoder
# (mae_pretrain_vit_base.pth; timm's vit_base_patch16_224.mae weights are the
# same tensors). Nothing is downloaded: put the file here, or pass another
# path with `--cfg-options model.backbone.init_cfg.checkpoint=PATH`, or train
# from the official random init with `--cfg-options
# model.backbone.init_cfg=None`.
model = dict(
    backbone=dict(
        init_cfg=dict(
            _delete_=True,
            type='Pretrained',
            checkpoint='checkpoints/mae_pretrain_vit_base.pth')))
