# The common set-up of every test set, with no method in it: the frames,
# landmarks and annotation file that tools/dataset_converters/ write
# (docs/en/user_guides/prepare_data.md), read in order, every extracted frame.
# The `<set>_test.py` files inherit it and set `test_data_root`; a method's
# test base (`laanet_test_384px.py`, `sbi_test_380px.py`) brings the
# pipeline and the metric, and a test config puts the pipeline in place:
#   test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
# Variable names are test-specific, so that a training config can inherit a
# test set beside its training data config.
test_data_root = 'data/'
test_ann_file = 'annotations/test.json'

test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='DeepfakeDataset',
        data_root=test_data_root,
        ann_file=test_ann_file,
        test_mode=True,
        # None: every extracted frame (32 per video with the documented
        # --num-frames 32); an int keeps that many evenly spaced frames.
        frames_per_video=None))
