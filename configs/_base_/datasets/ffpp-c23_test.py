# FaceForensics++ c23 test set. Same as ffpp-raw_test.py,
# extracted with --compression c23.
_base_ = ['./deepfake_test.py']

test_data_root = 'data/ffpp/c23/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
