# WildDeepfake (DFW) test set (384 px). Sequences: real_test and fake_test.
_base_ = ['./deepfake_test_384px.py']

test_data_root = 'data/dfw/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
