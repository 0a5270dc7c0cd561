# Test an SBI EfficientNet-B4 checkpoint on DeepfakeBench's dfdc test
# set (configs/_base_/datasets/dfb-dfdc_test.py) with SBI's protocol
# (configs/_base_/datasets/sbi_test_380px.py):
#   python tools/test.py <this config> CHECKPOINT
_base_ = [
    '../../_base_/models/sbi_efn-b4.py',
    '../../_base_/datasets/dfb-dfdc_test.py',
    '../../_base_/datasets/sbi_test_380px.py',
    '../../_base_/default_runtime.py',
]
# SBI's test crop and video rule
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
