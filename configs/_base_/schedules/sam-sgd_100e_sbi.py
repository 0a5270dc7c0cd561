# SBI's schedule (src/model.py, src/train_sbi.py, src/utils/scheduler.py):
# SAM (rho 0.05) over SGD (lr 1e-3, momentum 0.9, no weight decay),
# 100 epochs, the learning rate constant for epochs 0-75, then decayed
# linearly, stepped once per epoch: lr(e) = 1e-3 * (1 - (e - 75) / 25)
# for e > 75 (4e-5 at epoch 99; 0 would be epoch 100). BN statistics are
# updated in both SAM passes, as SBI's training step does.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SAM',
        base_optimizer='SGD',
        rho=0.05,
        adaptive=False,
        bn_second_pass='update',
        lr=1e-3,
        momentum=0.9))

param_scheduler = [
    # factor 1 at epoch 75 to 0 at epoch 100 (MMEngine reaches end_factor
    # at `end - 1`)
    dict(
        type='LinearLR',
        start_factor=1.0,
        end_factor=0.0,
        begin=75,
        end=101,
        by_epoch=True),
]

train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()

model_wrapper_cfg = dict(type='laanet.SAMDistributedDataParallel')

# base_batch_size = (1 GPU) x (16 real/fake pairs per GPU)
auto_scale_lr = dict(base_batch_size=16, enable=False)
