# LAA-Net's SBI recipe on DeepfakeBench's prepared FaceForensics++ raw (c0),
# the official recipe's compression; tested on DeepfakeBench's FF++ raw
# test set. docs/en/user_guides/deepfakebench_data.md.
_base_ = ['./laanet_efn-b4-efpn_1xb8-sbi-sam-100e_dfb-ffpp-c23-384px.py']

train_dataloader = dict(dataset=dict(compression='raw'))
val_dataloader = dict(dataset=dict(compression='raw'))
test_dataloader = dict(dataset=dict(compression='raw'))
