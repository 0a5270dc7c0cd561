# Runtime settings shared by every laanet config.

# build modules from the laanet registries (imports laanet on demand)
default_scope = 'laanet'

default_hooks = dict(
    # record the time of every iteration
    timer=dict(type='IterTimerHook'),
    # print a log line every 50 iterations
    logger=dict(type='LoggerHook', interval=50),
    # step the learning-rate schedulers
    param_scheduler=dict(type='ParamSchedulerHook'),
    # save a checkpoint every epoch, keep only the last one, and keep the
    # best one by video-level AUC on the validation set
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        max_keep_ckpts=1,
        save_best='deepfake/video_auc',
        rule='greater'),
    # set the sampler seed in distributed runs
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # draw faces with GT and predicted heatmaps (tools/test.py --show-dir
    # switches it on)
    visualization=dict(type='DeepfakeVisualizationHook', enable=False),
)

env_cfg = dict(
    # cudnn benchmark off, as the official code
    cudnn_benchmark=False,
    # multi-process settings of the dataloader workers
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # distributed backend (tools/train.py switches to gloo without CUDA)
    dist_cfg=dict(backend='nccl'),
)

# where the visualizer writes: local files; uncomment TensorBoard to log
# scalars and images there too (needs `pip install tensorboard`)
vis_backends = [
    dict(type='LocalVisBackend'),
    # dict(type='TensorboardVisBackend'),
]
visualizer = dict(type='DeepfakeVisualizer', vis_backends=vis_backends)

# the test loop (here, not in the schedules, so that test-only configs,
# which inherit no schedule, run with tools/test.py)
test_cfg = dict()

# log level
log_level = 'INFO'

# load weights from a checkpoint (no resume)
load_from = None

# resume training from the latest checkpoint in the work dir
resume = False

# the official seed; deterministic=True also sets cudnn.deterministic
randomness = dict(seed=317, deterministic=False)
