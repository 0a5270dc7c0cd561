# DeepFakeDetection (DFD, Google/Jigsaw) test set. Videos: all of
# DeepFakeDetection and DeepFakeDetection_original.
_base_ = ['./deepfake_test.py']

test_data_root = 'data/dfd/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
