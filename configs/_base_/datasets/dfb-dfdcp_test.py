# DeepfakeBench's DFDC preview (DFDCP) test set (dataset.json's 'set').
# JSON: dataset_json/DFDCP.json, data set 'DFDCP' (flat layout).
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/DFDCP.json',
        dataset_name='DFDCP'))
