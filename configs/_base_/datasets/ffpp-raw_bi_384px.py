# FaceForensics++ raw (c0) with online Face X-ray blending (BI), 384-px
# input, 96-px targets: LAA-Net's BI variant.
#
# Inherits the SBI data config (data root, targets, loaders, evaluator)
# and replaces what BI does differently: the annotations need 68-point
# landmarks and a `best_match` list per frame (nearest landmarks in other
# videos; tools/dataset_converters/search_similar_landmarks.py), each item
# is one image, real or blended with p=0.5 and cut to the official fixed
# crop ([60:317, 30:287] of a 317-px face, BlendImages' default), 16 per
# batch and 32 frames per video.
_base_ = ['./ffpp-raw_sbi_384px.py']

# `heatmap_cfg` is the SBI base's; classic configs reach a base's values
# in a child only through `{{_base_.<key>}}`.

train_ann_file = 'annotations/train_original_bi.json'
val_ann_file = 'annotations/val_original_bi.json'

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

# the warp and target steps of both pipelines, at the SBI base's sizes;
# unlike SBI, the official BI loader takes the letterbox centre and scale
# *after* the geometric augmentation (a crop is stretched back to the full
# input, a rescale undone)
letterbox_warp = dict(
    type='LetterboxWarp',
    input_size={{_base_.heatmap_cfg.input_size}},
    heatmap_size={{_base_.heatmap_cfg.heatmap_size}},
    use_pre_aug_shape=False)
blend_targets = dict(
    type='GenerateBlendTargets',
    input_size={{_base_.heatmap_cfg.input_size}},
    heatmap_size={{_base_.heatmap_cfg.heatmap_size}},
    min_overlap={{_base_.heatmap_cfg.min_overlap}},
    adaptive_sigma={{_base_.heatmap_cfg.adaptive_sigma}},
    sigma={{_base_.heatmap_cfg.sigma}},
    real_consistency={{_base_.heatmap_cfg.real_consistency}},
    center_peaks={{_base_.heatmap_cfg.center_peaks}},
    stop_runs_at_border={{_base_.heatmap_cfg.stop_runs_at_border}})

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks', num_points=(68, )),
    dict(type='JointColorAug', transforms=bi_color_jitter),
    dict(type='BlendImages', prob_fake=0.5),
    dict(type='JointGeometricAug'),
    letterbox_warp,
    blend_targets,
    dict(type='PackDeepfakeInputs', pair=False),
]
val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadLandmarks', num_points=(68, )),
    dict(type='BlendImages', prob_fake=0.5),
    letterbox_warp,
    blend_targets,
    dict(type='PackDeepfakeInputs', pair=False),
]

train_dataloader = dict(
    batch_size=16,
    # official BI: 32 frames per video drawn afresh every epoch, with
    # replacement (random.choices)
    sampler=dict(frames_per_video=32, redraw_each_epoch=True),
    dataset=dict(ann_file=train_ann_file, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(
        ann_file=val_ann_file, frames_per_video=32, pipeline=val_pipeline))
