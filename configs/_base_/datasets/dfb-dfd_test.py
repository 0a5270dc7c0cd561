# DeepfakeBench's DeepFakeDetection (DFD), c23. DeepfakeBench puts every
# DFD video in every split. JSON: dataset_json/DeepFakeDetection.json, data
# set 'DeepFakeDetection', compression 'c23'.
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/DeepFakeDetection.json',
        dataset_name='DeepFakeDetection',
        compression='c23'))
