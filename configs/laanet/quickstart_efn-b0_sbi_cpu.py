# The quickstart (`bash tools/quickstart.sh`): LAA-Net with online SBI on
# the tiny demo dataset of `tools/misc/make_demo_dataset.py`, on a CPU, in a
# few minutes. It inherits the real recipe (model, SBI pipeline, runtime)
# and shrinks it: EfficientNet-B0 instead of B4, 128-px input with 32-px
# heatmaps instead of 384/96, random initialisation (nothing is
# downloaded), the plain-Adam schedule (SAM doubles the cost of a step) at
# a higher, cosine-annealed learning rate, no backbone freezing (there is
# no pretrained backbone to protect), and no validation (the held-out faces
# are only for the final test).
#
# It shows the toolbox working end to end; it is not a detector to use:
# see README.md, "What the quickstart shows".
_base_ = [
    '../_base_/models/laanet_efn-b4-efpn.py',
    '../_base_/datasets/ffpp-raw_sbi_384px.py',
    '../_base_/schedules/adam_100e.py', '../_base_/default_runtime.py'
]

data_root = 'work_dirs/quickstart/data/'
heatmap_cfg = dict(
    input_size=(128, 128),
    heatmap_size=(32, 32),
    min_overlap=0.7,
    adaptive_sigma=True,
    sigma=2.,
    real_consistency='zeros',  # official; 'ones' = the paper's formula
    center_peaks=False,  # official: a third of the peaks 1 px up-left
    stop_runs_at_border=False)  # official: runs wrap at the top/left
# The face crop of the demo dataset and of inference on new media is
# laanet.preprocessing.face_detectors.FACE_PREP_CFG (margin 1.25, 256 px).

# B0 endpoints: 40 / 112 / 320 / 1280 channels; E-FPN output 2 x 40 = 80
model = dict(
    # dynamic TF-SAME padding: the official static padding is for 384 px
    backbone=dict(arch='b0', static_padding_size=None, init_cfg=None),
    neck=dict(in_channels=[40, 112, 320, 1280]),
    heatmap_head=dict(in_channels=80),
    consistency_head=dict(in_channels=80),
    cls_head=dict(in_channels=80))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks'),
    dict(type='SelfBlend', pair=True),
    dict(type='JointGeometricAug'),
    dict(
        type='LetterboxWarp',
        input_size=heatmap_cfg['input_size'],
        heatmap_size=heatmap_cfg['heatmap_size']),
    dict(type='GenerateBlendTargets', **heatmap_cfg),
    dict(type='JointColorAug'),
    dict(type='PackDeepfakeInputs', pair=True),
]
# the official evaluation transform: cut 5 px per side, letterbox
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='CenterCropLetterbox',
        margin=5,
        scale=heatmap_cfg['input_size']),
    dict(type='PackDeepfakeInputs', pair=False),
]

train_dataloader = dict(
    batch_size=4,  # pairs: 8 images per step
    num_workers=1,
    persistent_workers=True,
    pin_memory=False,
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
    num_workers=1,
    persistent_workers=False,
    pin_memory=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='DeepfakeDataset',
        data_root=data_root,
        ann_file='annotations/test.json',
        test_mode=True,
        pipeline=test_pipeline))
test_evaluator = dict(type='DeepfakeMetric')

max_epochs = 40
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=1e-3, weight_decay=1e-4))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs,
        eta_min=1e-5,
        by_epoch=True,
        convert_to_iter_based=True)
]
train_cfg = dict(by_epoch=True, max_epochs=max_epochs, val_interval=10**6)
custom_hooks = []  # no backbone freezing
model_wrapper_cfg = None  # one process
auto_scale_lr = dict(base_batch_size=4, enable=False)

default_hooks = dict(
    logger=dict(interval=5),
    checkpoint=dict(
        interval=max_epochs, max_keep_ckpts=1, save_best=None,
        save_last=True))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
# seeded, with deterministic algorithms (tools/quickstart.sh also fixes the
# CPU threads and instruction set, so the numbers repeat on any machine)
randomness = dict(seed=0, deterministic=True)
