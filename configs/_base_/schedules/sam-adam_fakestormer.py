# The schedule the official FakeSTormer code runs (fakestormer-reference §5),
# c23 values (200 epochs; fakestormer_c0.py overrides them for 120):
# SAM (rho 0.05, BN running stats updated in both passes) over Adam (betas
# 0.9 / 0.995, L2 weight decay 1e-4 on every parameter); the learning rate
# rises linearly from 1e-7 at epoch 0 to 5e-5 at epoch E/4 (50), then falls
# linearly to 0 at epoch E, stepped once per epoch (the official
# LinearDecayLR(b=1e-7, booster=500, start_decay=E//4)); backbone frozen in
# epochs 0-4. float32; `tools/train.py --amp` switches AMP on (not official).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SAM',
        base_optimizer='Adam',
        rho=0.05,
        adaptive=False,
        bn_second_pass='update',
        # the peak lr: MMEngine's LinearLR factors must lie in [0, 1]
        lr=5e-5,
        betas=(0.9, 0.995),
        weight_decay=1e-4))

max_epochs = 200
decay_epoch = max_epochs // 4
param_scheduler = [
    # warm-up: factor 0.002 (1e-7) at epoch 0 to 1.0 (5e-5) at epoch 50
    dict(
        type='LinearLR',
        start_factor=0.002,
        end_factor=1.0,
        begin=0,
        end=decay_epoch + 1,
        by_epoch=True),
    # decay: 5e-5 at epoch 50 to 0 at epoch 200 (3.33e-7 at epoch 199)
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=decay_epoch,
        end=max_epochs + 1,
        by_epoch=True),
]

train_cfg = dict(by_epoch=True, max_epochs=max_epochs, val_interval=1)
val_cfg = dict()

# epochs 0-4 train the three heads only (official warm_up: 5)
custom_hooks = [dict(type='FreezeBackboneHook', unfreeze_epoch=5)]

# DDP: frozen parameters need find_unused_parameters=True; the SAM wrapper
# runs SAM's two passes through DDP
model_wrapper_cfg = dict(
    type='laanet.SAMDistributedDataParallel', find_unused_parameters=True)

# base_batch_size = (4 GPUs) x (16 real/fake clip pairs per GPU), official
auto_scale_lr = dict(base_batch_size=64, enable=False)
