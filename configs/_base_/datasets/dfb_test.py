# The common set-up of every DeepfakeBench test set, with no method in it:
# DeepfakeBench's prepared frames (rgb_dir) and data set JSONs
# (dataset_json/), read with DeepfakeBenchDataset: the first 32 frames of
# each video after the frame-number sort, as DeepfakeBench's test reads
# them. The `dfb-<set>_test.py` files inherit it and name the JSON; a
# method's test base (`laanet_test_384px.py`, `sbi_test_380px.py`) brings
# the pipeline and the metric, as for laanet's own test sets
# (deepfake_test.py). docs/en/user_guides/deepfakebench_data.md has the
# layout and the table of sets. For LMDB files:
#   --cfg-options test_dataloader.dataset.lmdb_dir=data/deepfakebench/lmdb
dfb_root = 'data/deepfakebench/'
test_data_root = dfb_root + 'rgb/'
dfb_json_dir = dfb_root + 'dataset_json/'

test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='DeepfakeBenchDataset',
        json_file=dfb_json_dir + 'FaceForensics++.json',
        dataset_name='FaceForensics++',
        split='test',
        data_root=test_data_root,
        compression='c23',
        frames_per_video=32,
        frame_selection='deepfakebench',
        lmdb_dir=None,
        test_mode=True))
