# Baseline: the same EfficientNet-B4 classifier trained on FaceForensics++
# raw with its real fakes (originals and the four manipulations), not on
# self-blended images: SBI's model, optimiser, schedule, input and crop,
# one image per sample (32 per step), SBI's colour/JPEG augmentation.
# The annotation is the one of the FF++ test split, made for the train
# split (docs/en/user_guides/prepare_data.md: extract_faces.py without
# --manipulations, then extract_landmarks.py -> annotations/train.json).
_base_ = ['./sbi_efn-b4_1xb16-sam-sgd-100e_ffpp-raw-380px.py']

binary_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='JointColorAug'),
    dict(type='FaceBoxCrop', size=(380, 380), side_margin=(0.05, 0.2)),
    dict(type='PackDeepfakeInputs', pair=False),
]
binary_val_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='FaceBoxCrop', size=(380, 380), side_margin=0.125),
    dict(type='PackDeepfakeInputs', pair=False),
]
train_dataloader = dict(
    batch_size=32,
    collate_fn=dict(_delete_=True, type='pseudo_collate'),
    dataset=dict(
        ann_file='annotations/train.json',
        require_landmarks=False,
        pipeline=binary_train_pipeline))
val_dataloader = dict(
    batch_size=32,
    collate_fn=dict(_delete_=True, type='pseudo_collate'),
    dataset=dict(
        ann_file='annotations/val.json',
        require_landmarks=False,
        pipeline=binary_val_pipeline))
auto_scale_lr = dict(base_batch_size=32)
