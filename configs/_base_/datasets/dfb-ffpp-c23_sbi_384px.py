# DeepfakeBench's FaceForensics++ c23 (its prepared 256-px aligned crops and
# 81-point landmarks; no re-extraction) with LAA-Net's online Self-Blended
# Images, 384-px input, 96-px targets. Everything but the data set is
# ffpp-raw_sbi_384px.py's: the same pipelines, sampler and evaluator.
#
# Layout (docs/en/user_guides/deepfakebench_data.md):
#   data/deepfakebench/rgb/FaceForensics++/...     DeepfakeBench's rgb_dir
#   data/deepfakebench/dataset_json/FaceForensics++.json
#   data/deepfakebench/lmdb/FaceForensics++_lmdb   optional: set lmdb_dir
# SBI fakes are made from the originals only (label key FF-real); the
# split is DeepfakeBench's (the official FF++ train/val lists).
_base_ = ['./ffpp-raw_sbi_384px.py']

dfb_train_root = 'data/deepfakebench/'
dfb_train_rgb_dir = dfb_train_root + 'rgb/'
dfb_train_json = dfb_train_root + 'dataset_json/FaceForensics++.json'
dfb_train_compression = 'c23'

dfb_train_dataset = dict(
    _delete_=True,
    type='DeepfakeBenchDataset',
    json_file=dfb_train_json,
    dataset_name='FaceForensics++',
    data_root=dfb_train_rgb_dir,
    compression=dfb_train_compression,
    label_keys=['FF-real'],
    lmdb_dir=None,  # or dfb_train_root + 'lmdb/'
    with_landmarks=True,
    require_landmarks=True,
    resample_failed=True)
train_dataloader = dict(
    dataset=dict(
        dfb_train_dataset,
        split='train',
        # the released 32 frames per video; the sampler draws 8 of them
        frames_per_video=32,
        frame_selection='deepfakebench',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        dfb_train_dataset,
        split='val',
        test_mode=True,
        # 8 evenly spaced frames per video, as the SBI base's validation
        frames_per_video=8,
        frame_selection='linspace',
        pipeline={{_base_.val_pipeline}}))
