# Celeb-DF v1 test set. Videos: List_of_testing_videos.txt (every
# line, see the data guide).
_base_ = ['./deepfake_test.py']

test_data_root = 'data/celebdf-v1/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
