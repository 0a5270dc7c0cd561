# DFDC preview (DFDCP; the paper calls it DFDC) test set, 384-px input, LAA-
# Net's official test preprocessing: the 256-px face crop loses 5 px on every
# side (246 px), then a letterbox warp to 384 px. Frames, landmarks and the
# annotation file come from tools/dataset_converters/
# (docs/en/user_guides/prepare_data.md). Videos: dataset.json entries with set
# == 'test'.
dataset_type = 'DeepfakeDataset'
data_root = 'data/dfdcp/'
test_ann_file = 'annotations/test.json'

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='CenterCropLetterbox', margin=5, scale=384),
    dict(type='PackDeepfakeInputs', pair=False),
]

test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=test_ann_file,
        test_mode=True,
        # None: every extracted frame (32 per video with the documented
        # --num-frames 32); an int keeps that many evenly spaced frames.
        frames_per_video=None,
        pipeline=test_pipeline))
test_evaluator = dict(type='DeepfakeMetric')
