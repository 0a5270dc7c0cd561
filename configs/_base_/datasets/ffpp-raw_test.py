# FaceForensics++ raw (c0) test set. Videos: the 140 test pairs of the
# official split, originals + 4 methods.
_base_ = ['./deepfake_test.py']

test_data_root = 'data/ffpp/c0/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
