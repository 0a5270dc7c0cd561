# DeepfakeBench's DeeperForensics-1.0 test set (lists/splits/test.txt; its
# reals are in every split). JSON: dataset_json/DeeperForensics-1.0.json,
# data set 'DeeperForensics-1.0' (flat layout).
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/DeeperForensics-1.0.json',
        dataset_name='DeeperForensics-1.0'))
