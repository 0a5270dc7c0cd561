# FaceForensics++ raw (c0) originals as 4-frame clips with online video
# Self-Blended Images: the data of FakeSTormer's c0 recipe. Identical to
# ffpp-c23_video-sbi_224px.py but for the data root.
_base_ = ['./ffpp-c23_video-sbi_224px.py']

data_root = 'data/ffpp/c0/'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
