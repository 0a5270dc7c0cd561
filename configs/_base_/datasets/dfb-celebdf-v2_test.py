# DeepfakeBench's Celeb-DF v2 test set (List_of_testing_videos.txt, 518
# videos). JSON: dataset_json/Celeb-DF-v2.json, data set 'Celeb-DF-v2'
# (flat layout).
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/Celeb-DF-v2.json',
        dataset_name='Celeb-DF-v2'))
