# The schedule the official LAA-Net code really runs (laanet-reference §5):
# adam_100e.py's schedule (warm-up to 2e-4 at epoch 25, linear decay to 0 at
# epoch 100, backbone frozen in epochs 0-5) with SAM (rho 0.05) over Adam
# (weight decay 1e-4).
_base_ = ['./adam_100e.py']

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        _delete_=True,
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
