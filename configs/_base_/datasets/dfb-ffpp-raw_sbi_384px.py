# DeepfakeBench's FaceForensics++ raw (c0), the compression of LAA-Net's
# official recipe, with online SBI. See dfb-ffpp-c23_sbi_384px.py.
_base_ = ['./dfb-ffpp-c23_sbi_384px.py']

train_dataloader = dict(dataset=dict(compression='raw'))
val_dataloader = dict(dataset=dict(compression='raw'))
