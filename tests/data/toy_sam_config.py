# A tiny config for engine tests: the real runtime and SAM schedule bases
# around ToyDeepfakeModel / ToyDeepfakeDataset (registered by laanet.testing).
_base_ = [
    '../../configs/_base_/default_runtime.py',
    '../../configs/_base_/schedules/sam-adam_100e.py'
]

custom_imports = dict(imports=['laanet.testing'], allow_failed_imports=False)

model = dict(type='ToyDeepfakeModel')

train_dataset = dict(type='ToyDeepfakeDataset', num_videos=8, seed=0)
test_dataset = dict(type='ToyDeepfakeDataset', num_videos=4, seed=1)
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='pseudo_collate'),
    dataset=train_dataset)
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='pseudo_collate'),
    dataset=test_dataset)
test_dataloader = val_dataloader
val_evaluator = dict(type='DeepfakeMetric')
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=1e-2))
train_cfg = dict(max_epochs=3)
custom_hooks = [dict(type='FreezeBackboneHook', unfreeze_epoch=1)]
default_hooks = dict(logger=dict(interval=1))
log_level = 'WARNING'
