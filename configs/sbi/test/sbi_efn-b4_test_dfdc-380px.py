# Test an SBI EfficientNet-B4 checkpoint (laanet's, or SBI's released
# FFraw.tar / FFc23.tar: converted on the fly) on the dfdc test set with
# SBI's protocol (configs/_base_/datasets/sbi_test_380px.py):
#   python tools/test.py configs/sbi/test/sbi_efn-b4_test_dfdc-380px.py \
#       CHECKPOINT
_base_ = [
    '../../_base_/models/sbi_efn-b4.py',
    '../../_base_/datasets/dfdc_test.py',
    '../../_base_/datasets/sbi_test_380px.py',
    '../../_base_/default_runtime.py',
]
# SBI's test crop and video rule
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
