# A short SBI training run on the demo faces (tests only): the SBI recipe
# (configs/sbi/sbi_efn4.py: DeepfakeClassifier, 2-logit softmax head, SAM
# over SGD, SBI's pipeline) shrunk: EfficientNet-B0 from random weights,
# 128-px crops, 4 pairs per step, 4 epochs, the constant learning rate of
# SBI's first 75 epochs (at 1e-2, so a few steps move the weights), test on
# the held-out faces. `data_root` comes from --cfg-options.
_base_ = ['../../configs/sbi/sbi_efn4.py']

data_root = None
size = (128, 128)
max_epochs = 4

model = dict(
    backbone=dict(arch='b0', static_padding_size=None, init_cfg=None),
    cls_head=dict(in_channels=1280))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks'),
    {{_base_.sbi_blend}},
    dict(type='JointColorAug'),
    dict(type='FaceBoxCrop', size=size, side_margin=(0.05, 0.2)),
    dict(type='PackDeepfakeInputs', pair=True),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='FaceBoxCrop', size=size, side_margin=0.125),
    dict(type='PackDeepfakeInputs', pair=False),
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    drop_last=False,
    sampler=dict(_delete_=True, type='DefaultSampler', shuffle=True),
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/train.json',
        pipeline=train_pipeline))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(
    batch_size=8,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/test.json',
        pipeline=test_pipeline))
optim_wrapper = dict(optimizer=dict(lr=1e-2))
param_scheduler = []
train_cfg = dict(by_epoch=True, max_epochs=max_epochs, val_interval=10**6)
model_wrapper_cfg = None
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(
        interval=max_epochs, max_keep_ckpts=1, save_best=None,
        save_last=True))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0, deterministic=False)
