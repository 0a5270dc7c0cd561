# DFDC (full Kaggle challenge test set) test set. Not the "DFDC" of
# the LAA-Net paper: that one is DFDCP.
_base_ = ['./deepfake_test.py']

test_data_root = 'data/dfdc/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
