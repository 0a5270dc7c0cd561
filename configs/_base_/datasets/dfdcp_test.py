# DFDC preview (DFDCP; the paper calls it DFDC) test set. Videos:
# dataset.json entries with set == 'test'.
_base_ = ['./deepfake_test.py']

test_data_root = 'data/dfdcp/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
