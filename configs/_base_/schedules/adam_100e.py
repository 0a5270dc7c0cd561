# The official schedule (see sam-adam_100e.py) with plain Adam instead of
# SAM: the official Adam alternative uses weight decay 2e-5. One forward and
# backward pass per iteration, so about twice as fast as SAM.
_base_ = ['./sam-adam_100e.py']

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        _delete_=True,
        type='Adam',
        lr=2e-4,
        betas=(0.9, 0.999),
        weight_decay=2e-5))
