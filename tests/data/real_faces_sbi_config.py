# A short LAA-Net SBI training run on the demo faces (tests only): the
# quickstart model (EfficientNet-B0, 128 px, 32-px targets) trained with the
# real recipe's optimizer (SAM over Adam) for a few dozen iterations, with
# validation on the held-out faces. `data_root` comes from --cfg-options.
_base_ = ['../../configs/laanet/quickstart_efn-b0_sbi_cpu.py']

data_root = None
max_epochs = 6

optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='SAM',
        base_optimizer='Adam',
        rho=0.05,
        lr=1e-3,
        weight_decay=1e-4))
param_scheduler = []
train_cfg = dict(by_epoch=True, max_epochs=max_epochs, val_interval=2)
val_cfg = dict(_delete_=True)
val_dataloader = dict(
    _delete_=True,
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='DeepfakeDataset',
        data_root=data_root,
        ann_file='annotations/test.json',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}))
val_evaluator = dict(_delete_=True, type='DeepfakeMetric')
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(
        interval=2,
        max_keep_ckpts=1,
        save_best='deepfake/video_auc',
        rule='greater',
        save_last=True))
