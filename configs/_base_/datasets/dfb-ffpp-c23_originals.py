# The originals (label key FF-real) of DeepfakeBench's prepared
# FaceForensics++ c23, with their 81-point landmarks: what the DeepfakeBench
# training bases (dfb-ffpp-c23_{sbi,bi}_384px.py,
# dfb-ffpp-c23_sbi-cls_380px.py) make their SBI/BI fakes from. They inherit
# it beside their FF++ base and set the split, the frames and the pipeline.
#
# Layout (docs/en/user_guides/deepfakebench_data.md):
#   data/deepfakebench/rgb/FaceForensics++/...     DeepfakeBench's rgb_dir
#   data/deepfakebench/dataset_json/FaceForensics++.json
#   data/deepfakebench/lmdb/FaceForensics++_lmdb   optional: set lmdb_dir
# The split is DeepfakeBench's (the official FF++ train/val lists).
dfb_train_root = 'data/deepfakebench/'
dfb_train_json_dir = dfb_train_root + 'dataset_json/'
dfb_train_dataset = dict(
    _delete_=True,
    type='DeepfakeBenchDataset',
    json_file=dfb_train_json_dir + 'FaceForensics++.json',
    dataset_name='FaceForensics++',
    data_root=dfb_train_root + 'rgb/',
    compression='c23',
    label_keys=['FF-real'],
    # the released 32 frames per video (training samplers draw from them)
    frames_per_video=32,
    frame_selection='deepfakebench',
    lmdb_dir=None,  # or dfb_train_root + 'lmdb/'
    with_landmarks=True,
    require_landmarks=True,
    resample_failed=True)
