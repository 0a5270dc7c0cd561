# FaceForensics++ raw (c0) originals with online Self-Blended Images, as
# SBI's own training uses them (src/utils/sbi.py): 380 x 380 input, a
# (real, fake) pair per frame, 16 pairs = 32 images per step, 8 evenly
# spaced frames per video, the same every epoch.
#
# Per pair: SelfBlend (shared with LAA-Net: flip, hull, source/target
# augmentation, affine, elastic, blend) with SBI's absolute mask-size
# jitter and no margin cut; SBI's colour/JPEG augmentation, identical for
# the real and the fake; SBI's random crop (the face box plus 5-20 % of
# its size on each side, resized to 380 x 380, aspect not kept).
# docs/en/advanced_guides/sbi.md lists where this differs from LAA-Net's.
dataset_type = 'DeepfakeDataset'
data_root = 'data/ffpp/c0/'
train_ann_file = 'annotations/train_original.json'
val_ann_file = 'annotations/val_original.json'
sbi_input_size = (380, 380)
sbi_blend = dict(
    type='SelfBlend',
    pair=True,
    mask_resize_size=(192, 257),  # SBI: randint(192, 257) for h and w
    margin_range=(0, 1))  # SBI cuts no margin (LAA-Net: 5-24 px)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks'),
    sbi_blend,
    # SBI's get_transforms(): RGB shift, HSV, brightness/contrast, JPEG
    dict(type='JointColorAug'),
    dict(type='FaceBoxCrop', size=sbi_input_size, side_margin=(0.05, 0.2)),
    dict(type='PackDeepfakeInputs', pair=True),
]
# SBI's validation: fresh pairs of the val originals, no flip, no colour
# augmentation, the test crop (1/8 of the box on each side)
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks'),
    dict(sbi_blend, hflip_prob=0.),
    dict(type='FaceBoxCrop', size=sbi_input_size, side_margin=0.125),
    dict(type='PackDeepfakeInputs', pair=True),
]

train_dataloader = dict(
    batch_size=16,  # pairs: 32 images per step
    num_workers=4,
    persistent_workers=True,
    pin_memory=True,
    drop_last=True,
    # SBI's init_ff: 8 evenly spaced frames per video, fixed, reshuffled
    sampler=dict(
        type='VideoFrameSampler',
        frames_per_video=8,
        shuffle=True,
        frame_pick='even'),
    collate_fn=dict(type='laanet.pair_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann_file,
        require_landmarks=True,
        resample_failed=True,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='laanet.pair_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=val_ann_file,
        test_mode=True,
        frames_per_video=8,
        require_landmarks=True,
        resample_failed=True,
        pipeline=val_pipeline))
# SBI keeps the checkpoints of the best frame-level val AUC; here the best
# video-level AUC (default_runtime.py), with SBI's video rule
val_evaluator = dict(type='DeepfakeMetric', video_score='prob_mean')
