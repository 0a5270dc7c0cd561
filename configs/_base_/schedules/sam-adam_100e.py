# The schedule the official LAA-Net code really runs (laanet-reference §5):
# SAM (rho 0.05) over Adam (weight decay 1e-4), 100 epochs, the learning rate
# rising linearly from 5e-5 at epoch 0 to 2e-4 at epoch 25, then falling
# linearly to 0 at epoch 100, stepped once per epoch; backbone frozen in
# epochs 0-5.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SAM',
        base_optimizer='Adam',
        rho=0.05,
        adaptive=False,
        # BN running stats updated in both SAM passes (official);
        # 'freeze' keeps them fixed in the second pass
        bn_second_pass='update',
        # the peak lr: MMEngine's LinearLR factors must lie in [0, 1]
        lr=2e-4,
        betas=(0.9, 0.999),
        weight_decay=1e-4))

param_scheduler = [
    # warm-up: factor 0.25 (5e-5) at epoch 0 to 1.0 (2e-4) at epoch 25
    dict(
        type='LinearLR',
        start_factor=0.25,
        end_factor=1.0,
        begin=0,
        end=26,
        by_epoch=True),
    # decay: 2e-4 at epoch 25 to 0 at epoch 100 (2.67e-6 at epoch 99)
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=25,
        end=101,
        by_epoch=True),
]

train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()
test_cfg = dict()

# epochs 0-5 train the decoder and heads only
custom_hooks = [dict(type='FreezeBackboneHook', unfreeze_epoch=6)]

# DDP: SAM's two passes through DDP; frozen parameters need
# find_unused_parameters=True
model_wrapper_cfg = dict(
    type='laanet.SAMDistributedDataParallel', find_unused_parameters=True)

# base_batch_size = (1 GPU) x (8 real/fake pairs per GPU)
auto_scale_lr = dict(base_batch_size=8, enable=False)
