# DeepfakeBench's UADFV (the same videos in every split). JSON:
# dataset_json/UADFV.json, data set 'UADFV' (flat layout).
_base_ = ['./dfb_test.py']

test_dataloader = dict(
    dataset=dict(
        json_file='data/deepfakebench/dataset_json/UADFV.json',
        dataset_name='UADFV'))
