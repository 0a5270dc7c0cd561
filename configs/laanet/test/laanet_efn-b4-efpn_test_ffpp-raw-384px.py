# Test a LAA-Net EfficientNet-B4 checkpoint (ours, or an official one:
# converted on the fly) on the ffpp-raw test set:
#   python tools/test.py \
#       configs/laanet/test/laanet_efn-b4-efpn_test_ffpp-raw-384px.py \
#       CHECKPOINT
# Flip test-time augmentation is on (the official protocol); --no-tta
# switches it off.
_base_ = [
    '../../_base_/models/laanet_efn-b4-efpn.py',
    '../../_base_/datasets/ffpp-raw_test.py',
    '../../_base_/datasets/laanet_test_384px.py',
    '../../_base_/default_runtime.py',
]
# LAA-Net's official test crop and warp
test_dataloader = dict(dataset=dict(pipeline={{_base_.test_pipeline}}))
