# WildDeepfake (DFW) test set. Sequences: real_test and fake_test.
_base_ = ['./deepfake_test.py']

test_data_root = 'data/dfw/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
