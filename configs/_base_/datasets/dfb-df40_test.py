# A DF40 test set (YZY-stack/DF40; DeepfakeBench format): the fakes of one
# DF40 method JSON, fake-only, with the FaceForensics++ c23 test reals
# (DF40's FF-domain methods are made from FF++; for its Celeb-DF-domain
# methods, `*_cdf`, use the Celeb-DF-v2 reals: the second data set below
# with json_file=.../Celeb-DF-v2.json, dataset_name='Celeb-DF-v2',
# label_keys=['CelebDFv2_real']). Pick the method on the command line,
# e.g. blendface_ff:
#   --cfg-options test_dataloader.dataset.datasets.0.json_file=\
#   data/deepfakebench/dataset_json/blendface_ff.json \
#   test_dataloader.dataset.datasets.0.dataset_name=blendface_ff
# The report breaks the numbers down by `method` (the label key, e.g.
# `simswap_Fake`). Label keys follow DF40's rule (`_Real` 0, `_Fake` 1).
_base_ = ['./dfb_test.py']

dfb_df40_method = 'simswap_ff'
test_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        # the parts' metainfo differ in the data set's name and layout
        ignore_keys=['dataset', 'split', 'layout', 'compression', 'format'],
        datasets=[
            dict(
                type='DeepfakeBenchDataset',
                json_file='data/deepfakebench/dataset_json/' +
                dfb_df40_method + '.json',
                dataset_name=dfb_df40_method,
                split='test',
                data_root='data/deepfakebench/rgb/',
                compression='c23',
                frames_per_video=32,
                frame_selection='deepfakebench',
                lmdb_dir=None,
                test_mode=True),
            dict(
                type='DeepfakeBenchDataset',
                json_file='data/deepfakebench/dataset_json/'
                'FaceForensics++.json',
                dataset_name='FaceForensics++',
                split='test',
                data_root='data/deepfakebench/rgb/',
                compression='c23',
                label_keys=['FF-real'],
                frames_per_video=32,
                frame_selection='deepfakebench',
                lmdb_dir=None,
                test_mode=True),
        ]))
