# FaceForensics++ raw (c0) originals with online Self-Blended Images (SBI),
# 384-px input, 96-px targets: LAA-Net's SBI training data.
#
# Set `data_root` and the annotation files (written by
# tools/dataset_converters/, paths relative to `data_root`). Every real
# frame becomes a (real, fake) pair; `pair_collate` flattens a batch of 8
# items into 16 images (8 reals + their 8 fakes) with one joint shuffle.
dataset_type = 'DeepfakeDataset'
data_root = 'data/ffpp/c0/'
train_ann_file = 'annotations/train_original.json'
val_ann_file = 'annotations/val_original.json'

# Declared once, used by the pipelines' LetterboxWarp and
# GenerateBlendTargets (the heads do not read it: their map size follows
# from the input size and the network's stride).
heatmap_cfg = dict(
    input_size=(384, 384),
    heatmap_size=(96, 96),
    min_overlap=0.7,
    adaptive_sigma=True,
    sigma=2.,
    real_consistency='zeros',  # official; 'ones' = the paper's formula
    center_peaks=False,  # official: a third of the peaks 1 px up-left
    stop_runs_at_border=False)  # official: runs wrap at the top/left

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
# Official validation: fresh SBI pairs of the val originals, no flips and
# no geometric augmentation, colour/JPEG augmentation kept (so val numbers
# are noisy, as in the official code).
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks'),
    dict(type='SelfBlend', pair=True, hflip_prob=0.),
    dict(
        type='LetterboxWarp',
        input_size=heatmap_cfg['input_size'],
        heatmap_size=heatmap_cfg['heatmap_size']),
    dict(type='GenerateBlendTargets', **heatmap_cfg),
    dict(type='JointColorAug'),
    dict(type='PackDeepfakeInputs', pair=True),
]

train_dataloader = dict(
    batch_size=8,  # pairs: 16 images per step
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    # official SBI: 8 frames per video drawn once with replacement
    # (random.choices) and reshuffled every epoch; redraw_each_epoch=True
    # and replacement=False see more frames (a deviation)
    sampler=dict(
        type='VideoFrameSampler',
        frames_per_video=8,
        shuffle=True,
        replacement=True,
        redraw_each_epoch=False),
    collate_fn=dict(type='laanet.pair_collate'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=train_ann_file,
        require_landmarks=True,
        # a frame whose sample cannot be made is retried on another index;
        # the count is logged every epoch (False: the error propagates)
        resample_failed=True,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
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

# validation on fresh SBI pairs of the val originals, as the official code
# does (SelfBlend gives the fakes the video ids 'SBI/<video_id>')
val_evaluator = dict(type='DeepfakeMetric')
