# FakeSTormer on FaceForensics++ raw (c0) originals: the official c0 recipe
# (configs/temporal/FakeSFormer_base_c0.yaml), which differs from c23 only in
# the data and the length: 120 epochs, lr peak 5e-5 at epoch 30 (E // 4).
# Short name: fakestormer_c0.py.
#
# The clip data comes from configs/_base_/datasets/ffpp-raw_video-sbi_224px.py
# and fakestormer_test_224px.py, which the clip-data work adds to `_base_`.
_base_ = ['./fakestormer_vit-b16_4xb16-sam-200e_ffpp-c23-224px.py']

max_epochs = 120
decay_epoch = max_epochs // 4
param_scheduler = [
    # warm-up: 1e-7 at epoch 0 to 5e-5 at epoch 30
    dict(
        type='LinearLR',
        start_factor=0.002,
        end_factor=1.0,
        begin=0,
        end=decay_epoch + 1,
        by_epoch=True),
    # decay: 5e-5 at epoch 30 to 0 at epoch 120 (5.56e-7 at epoch 119)
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=decay_epoch,
        end=max_epochs + 1,
        by_epoch=True),
]
train_cfg = dict(max_epochs=max_epochs)
