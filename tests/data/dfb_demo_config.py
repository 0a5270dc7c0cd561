# LAA-Net (SBI) trained and tested on a DeepfakeBench-format demo tree
# (tests only; laanet.testing.make_deepfakebench_tree writes it): the
# quickstart model (EfficientNet-B0, 128 px) for one short epoch on the
# tree's FF-real train videos read from its LMDB, then tested on its test
# split read from the folders. The paths come from --cfg-options
# (dfb_* below are placeholders).
_base_ = ['../../configs/laanet/quickstart_efn-b0_sbi_cpu.py']

max_epochs = 1
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = []
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_last=True))
train_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='VideoFrameSampler', frames_per_video=2,
                 shuffle=True, _delete_=True),
    dataset=dict(
        _delete_=True,
        type='DeepfakeBenchDataset',
        json_file='dfb_json_file',
        dataset_name='FaceForensics++',
        split='train',
        data_root='dfb_rgb_dir',
        compression='c23',
        label_keys=['FF-real'],
        lmdb_dir='dfb_lmdb_dir',
        with_landmarks=True,
        require_landmarks=True,
        pipeline={{_base_.train_pipeline}}))
test_dataloader = dict(
    num_workers=0,
    dataset=dict(
        _delete_=True,
        type='DeepfakeBenchDataset',
        json_file='dfb_json_file',
        dataset_name='FaceForensics++',
        split='test',
        data_root='dfb_rgb_dir',
        compression='c23',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
