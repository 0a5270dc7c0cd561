# Test an SBI EfficientNet-B4 checkpoint on DeepfakeBench's df40 test
# set (configs/_base_/datasets/dfb-df40_test.py) with SBI's protocol
# (configs/_base_/datasets/sbi_test_380px.py):
#   python tools/test.py <this config> CHECKPOINT
_base_ = [
    '../../_base_/models/sbi_efn-b4.py',
    '../../_base_/datasets/dfb-df40_test.py',
    '../../_base_/datasets/sbi_test_380px.py',
    '../../_base_/default_runtime.py',
]
# SBI's test crop and video rule
# each part of the concatenation gets the pipeline
test_dataloader = dict(
    dataset=dict(datasets=[
        dict(part, pipeline=_base_.test_pipeline)
        for part in _base_.test_dataloader.dataset.datasets
    ]))
