# Celeb-DF v2 test set. Videos: List_of_testing_videos.txt (518
# videos).
_base_ = ['./deepfake_test.py']

test_data_root = 'data/celebdf-v2/'
test_dataloader = dict(dataset=dict(data_root=test_data_root))
