# DeepfakeBench's FaceForensics++ c23 with LAA-Net's online Blended Images
# (BI). Everything but the data set is ffpp-raw_bi_384px.py's. BI blends a
# partner face chosen by landmark similarity: write the partner lists once
#   python tools/dataset_converters/deepfakebench_best_match.py \
#       data/deepfakebench/dataset_json/FaceForensics++.json \
#       --data-root data/deepfakebench/rgb --compression c23
# (-> FaceForensics++_c23_{train,val}_best_match.json next to the JSON).
# The official BI uses dlib's 68 points: the 13 forehead points of
# DeepfakeBench's 81 are dropped (landmark_points=68).
_base_ = ['./ffpp-raw_bi_384px.py']

dfb_train_root = 'data/deepfakebench/'
dfb_train_rgb_dir = dfb_train_root + 'rgb/'
dfb_train_json_dir = dfb_train_root + 'dataset_json/'
dfb_train_compression = 'c23'

dfb_train_dataset = dict(
    _delete_=True,
    type='DeepfakeBenchDataset',
    json_file=dfb_train_json_dir + 'FaceForensics++.json',
    dataset_name='FaceForensics++',
    data_root=dfb_train_rgb_dir,
    compression=dfb_train_compression,
    label_keys=['FF-real'],
    frames_per_video=32,
    frame_selection='deepfakebench',
    lmdb_dir=None,
    with_landmarks=True,
    landmark_points=68,
    require_landmarks=True,
    resample_failed=True)
train_dataloader = dict(
    dataset=dict(
        dfb_train_dataset,
        split='train',
        best_match_file=dfb_train_json_dir +
        f'FaceForensics++_{dfb_train_compression}_train_best_match.json',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        dfb_train_dataset,
        split='val',
        test_mode=True,
        best_match_file=dfb_train_json_dir +
        f'FaceForensics++_{dfb_train_compression}_val_best_match.json',
        pipeline={{_base_.val_pipeline}}))
