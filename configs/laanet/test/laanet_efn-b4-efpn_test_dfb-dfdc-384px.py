# Test a LAA-Net EfficientNet-B4 checkpoint on DeepfakeBench's dfdc
# test set (configs/_base_/datasets/dfb-dfdc_test.py: DeepfakeBench's
# prepared frames, no re-extraction):
#   python tools/test.py <this config> CHECKPOINT
# Flip test-time augmentation is on (the official protocol); --no-tta
# switches it off.
_base_ = [
    '../../_base_/models/laanet_efn-b4-efpn.py',
    '../../_base_/datasets/dfb-dfdc_test.py',
    '../../_base_/datasets/laanet_test_384px.py',
    '../../_base_/default_runtime.py',
]
# LAA-Net's official test crop and warp
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
