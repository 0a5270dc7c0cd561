# DeepfakeBench's FaceForensics++ raw (c0) test set: FF-real and the four
# methods. JSON: dataset_json/FaceForensics++.json, data set
# 'FaceForensics++', compression 'raw'.
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/FaceForensics++.json',
        dataset_name='FaceForensics++',
        compression='raw'))
