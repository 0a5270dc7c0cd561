# FaceForensics++ raw (c0) with online Face X-ray blending (BI), 384-px
# input, 96-px targets: LAA-Net's BI variant.
#
# Set `data_root` and the annotation files. The annotations need 68-point
# landmarks and a `best_match` list per frame (nearest landmarks in other
# videos; tools/dataset_converters/search_similar_landmarks.py). Each
# item is one image, real or blended with p=0.5.
dataset_type = 'DeepfakeDataset'
data_root = 'data/ffpp/c0/'
train_ann_file = 'annotations/train_original_bi.json'
val_ann_file = 'annotations/val_original_bi.json'

heatmap_cfg = dict(
    input_size=(384, 384),
    heatmap_size=(96, 96),
    min_overlap=0.7,
    adaptive_sigma=True,
    sigma=2.,
    real_consistency='zeros',  # official; 'ones' = the paper's formula
    center_peaks=False,  # official: a third of the peaks 1 px up-left
    stop_runs_at_border=False)  # official: runs wrap at the top/left

# The official BI colour jitter on the frame before blending (albumentations
# 2.x names; GaussNoise var 10-50 in uint8 units = std 0.0124-0.0277).
bi_color_jitter = [
    dict(type='ColorJitter', brightness=0.2, contrast=0.2, saturation=0.2,
         hue=0.2, p=0.3),
    dict(type='ImageCompression', quality_range=(40, 100), p=0.5),
    dict(type='RGBShift', r_shift_limit=20, g_shift_limit=20,
         b_shift_limit=20, p=0.3),
    dict(type='RandomGamma', gamma_limit=(80, 120), p=0.5),
    dict(type='OneOf', p=0.5, transforms=[
        dict(type='GaussianBlur', blur_limit=(3, 7), p=0.3),
        dict(type='GaussNoise', std_range=(0.0124, 0.0277),
             per_channel=True, p=0.3),
    ]),
    dict(type='OneOf', p=0.5, transforms=[
        dict(type='RandomBrightnessContrast', brightness_limit=0.1,
             contrast_limit=0.1, p=1.),
        dict(type='HueSaturationValue', hue_shift_limit=20,
             sat_shift_limit=20, val_shift_limit=20, p=1.),
    ]),
]  # yapf: disable

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks', num_points=(68, )),
    dict(type='JointColorAug', transforms=bi_color_jitter),
    dict(type='BlendImages', prob_fake=0.5),
    dict(type='JointGeometricAug'),
    dict(
        type='LetterboxWarp',
        input_size=heatmap_cfg['input_size'],
        heatmap_size=heatmap_cfg['heatmap_size']),
    dict(type='GenerateBlendTargets', **heatmap_cfg),
    dict(type='PackDeepfakeInputs', pair=False),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks', num_points=(68, )),
    dict(type='BlendImages', prob_fake=0.5),
    dict(
        type='LetterboxWarp',
        input_size=heatmap_cfg['input_size'],
        heatmap_size=heatmap_cfg['heatmap_size']),
    dict(type='GenerateBlendTargets', **heatmap_cfg),
    dict(type='PackDeepfakeInputs', pair=False),
]

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    # official BI: 32 frames per video drawn afresh every epoch, with
    # replacement (random.choices)
    sampler=dict(
        type='VideoFrameSampler',
        frames_per_video=32,
        shuffle=True,
        replacement=True,
        redraw_each_epoch=True),
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
        frames_per_video=32,
        require_landmarks=True,
        resample_failed=True,
        pipeline=val_pipeline))
