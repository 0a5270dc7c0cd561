# DeepfakeBench's FaceForensics++ c23 (its prepared 256-px aligned crops and
# 81-point landmarks; no re-extraction) with LAA-Net's online Self-Blended
# Images, 384-px input, 96-px targets. Everything but the data set is
# ffpp-raw_sbi_384px.py's: the same pipelines, sampler and evaluator; the
# data set is the FF++ originals of dfb-ffpp-c23_originals.py.
_base_ = ['./ffpp-raw_sbi_384px.py', './dfb-ffpp-c23_originals.py']

train_dataloader = dict(
    dataset=dict(
        _base_.dfb_train_dataset,
        split='train',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        _base_.dfb_train_dataset,
        split='val',
        test_mode=True,
        # 8 evenly spaced frames per video, as the SBI base's validation
        frames_per_video=8,
        frame_selection='linspace',
        pipeline={{_base_.val_pipeline}}))
