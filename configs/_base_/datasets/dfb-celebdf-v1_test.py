# DeepfakeBench's Celeb-DF v1 test set (List_of_testing_videos.txt). JSON:
# dataset_json/Celeb-DF-v1.json, data set 'Celeb-DF-v1' (flat layout).
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/Celeb-DF-v1.json',
        dataset_name='Celeb-DF-v1'))
