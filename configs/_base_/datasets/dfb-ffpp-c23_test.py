# DeepfakeBench's FaceForensics++ c23 test set: FF-real and the four
# methods (FF-DF, FF-F2F, FF-FS, FF-NT), 140 videos per label key. JSON:
# dataset_json/FaceForensics++.json, data set 'FaceForensics++',
# compression 'c23'.
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/FaceForensics++.json',
        dataset_name='FaceForensics++',
        compression='c23'))
