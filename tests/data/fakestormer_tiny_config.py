# A tiny FakeSTormer run on clips of the demo faces (tests only): the
# FakeSTormer recipe (video SBI clip pairs, vulnerability masking, temporal
# targets, SAM over Adam, backbone frozen in the first epoch) with the tiny
# model (about 0.24 M parameters, 4-frame clips at 64 px, 4 x 4 cells),
# 2 clip pairs per step, 2 epochs at a constant learning rate, then the
# official clip test (4-frame chunks, 15-px margin, letterbox) at 64 px.
# `data_root` and the annotation files come from --cfg-options.
_base_ = [
    '../../configs/_base_/models/fakestormer_vit-tiny_64px.py',
    '../../configs/_base_/datasets/ffpp-c23_video-sbi_224px.py',
    '../../configs/_base_/datasets/deepfake_test.py',
    '../../configs/_base_/datasets/fakestormer_test_224px.py',
    '../../configs/_base_/schedules/sam-adam_fakestormer.py',
    '../../configs/_base_/default_runtime.py',
]

data_root = None
max_epochs = 2
clip_cfg = dict(input_size=(64, 64), heatmap_size=(4, 4))

train_pipeline = [
    dict(type='LoadClipFrames'),
    dict(type='LoadClipLandmarks'),
    dict(type='VideoSelfBlend'),
    dict(type='ClipLetterboxWarp', **clip_cfg),
    dict(type='ClipJointColorAug'),
    dict(type='VulnerabilityMask', prob=0.5, mask_prob=0.01),
    dict(type='GenerateTemporalTargets'),
    dict(type='PackClipInputs', pair=True),
]
test_pipeline = [
    dict(type='LoadClipFrames'),
    dict(
        type='ClipFramewise',
        transforms=[dict(type='CenterCropLetterbox', margin=15, scale=64)]),
    dict(type='PackClipInputs', pair=False),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    sampler=dict(seed=0),
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/train.json',
        pipeline=train_pipeline))
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = dict(
    batch_size=4,
    num_workers=0,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(
        data_root=data_root,
        clip_len={{_base_.test_clip_len}},
        ann_file='annotations/test_clips.json',
        pipeline=test_pipeline))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = []
train_cfg = dict(by_epoch=True, max_epochs=max_epochs, val_interval=10**6)
custom_hooks = [dict(type='FreezeBackboneHook', unfreeze_epoch=1)]
model_wrapper_cfg = None
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(
        interval=max_epochs, max_keep_ckpts=1, save_best=None,
        save_last=True))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0, deterministic=False)
