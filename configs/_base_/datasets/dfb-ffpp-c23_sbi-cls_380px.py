# DeepfakeBench's FaceForensics++ c23 with SBI's own training data
# (380-px pairs, 8 evenly spaced frames per video). Everything but the data
# set is ffpp-raw_sbi-cls_380px.py's; the layout is
# dfb-ffpp-c23_sbi_384px.py's.
_base_ = ['./ffpp-raw_sbi-cls_380px.py']

dfb_train_root = 'data/deepfakebench/'
dfb_train_dataset = dict(
    _delete_=True,
    type='DeepfakeBenchDataset',
    json_file=dfb_train_root + 'dataset_json/FaceForensics++.json',
    dataset_name='FaceForensics++',
    data_root=dfb_train_root + 'rgb/',
    compression='c23',
    label_keys=['FF-real'],
    frames_per_video=32,
    frame_selection='deepfakebench',
    lmdb_dir=None,
    with_landmarks=True,
    require_landmarks=True,
    resample_failed=True)
train_dataloader = dict(
    dataset=dict(
        dfb_train_dataset,
        split='train',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        dfb_train_dataset,
        split='val',
        test_mode=True,
        frames_per_video=8,
        frame_selection='linspace',
        pipeline={{_base_.val_pipeline}}))
