# DeepfakeBench's DFDC test set (test/labels.csv). Only 'test' is usable:
# DeepfakeBench's DFDC 'val' is malformed, and the reader says so. JSON:
# dataset_json/DFDC.json, data set 'DFDC' (flat layout).
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/DFDC.json',
        dataset_name='DFDC'))
