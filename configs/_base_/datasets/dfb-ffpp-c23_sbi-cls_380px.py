# DeepfakeBench's FaceForensics++ c23 with SBI's own training data
# (380-px pairs, 8 evenly spaced frames per video). Everything but the data
# set is ffpp-raw_sbi-cls_380px.py's; the data set is the FF++ originals of
# dfb-ffpp-c23_originals.py.
_base_ = ['./ffpp-raw_sbi-cls_380px.py', './dfb-ffpp-c23_originals.py']

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
        frames_per_video=8,
        frame_selection='linspace',
        pipeline={{_base_.val_pipeline}}))
