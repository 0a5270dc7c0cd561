# The official LAA-Net schedule with plain Adam (laanet-reference §5): Adam
# (weight decay 2e-5, the official Adam alternative), 100 epochs, the
# learning rate rising linearly from 5e-5 at epoch 0 to 2e-4 at epoch 25,
# then falling linearly to 0 at epoch 100, stepped once per epoch; backbone
# frozen in epochs 0-5. One forward and backward pass per iteration.
# sam-adam_100e.py, what the official code really runs, puts SAM on top.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='Adam', lr=2e-4, betas=(0.9, 0.999), weight_decay=2e-5))

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

# epochs 0-5 train the decoder and heads only
custom_hooks = [dict(type='FreezeBackboneHook', unfreeze_epoch=6)]

# DDP: frozen parameters need find_unused_parameters=True. The SAM wrapper
# runs SAM's two passes through DDP, and the usual step for other
# optimizers, so one wrapper serves both schedules.
model_wrapper_cfg = dict(
    type='laanet.SAMDistributedDataParallel', find_unused_parameters=True)

# base_batch_size = (1 GPU) x (8 real/fake pairs per GPU)
auto_scale_lr = dict(base_batch_size=8, enable=False)
