# FakeSTormer on FaceForensics++ raw (c0) originals: the official c0 recipe
# (configs/temporal/FakeSFormer_base_c0.yaml), which differs from c23 only in
# the data and the length: 120 epochs, lr peak 5e-5 at epoch 30 (E // 4).
# Short name: fakestormer_c0.py.
_base_ = ['./fakestormer_vit-b16_4xb16-sam-200e_ffpp-c23-224px.py']

# the data of configs/_base_/datasets/ffpp-raw_video-sbi_224px.py: the c23
# recipe's clip pipeline on the raw (c0) originals
data_root = 'data/ffpp/c0/'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))

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
