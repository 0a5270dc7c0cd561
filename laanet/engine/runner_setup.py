# Copyright (c) laanet contributors. All rights reserved.
"""Runner set-up shared by ``tools/train.py`` and ``tools/test.py``."""
import os
import os.path as osp
import subprocess
from datetime import timedelta
from typing import Optional

import torch
import torch.distributed as dist
from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from laanet.registry import RUNNERS
from .checkpoint import enable_mmengine_checkpoints
from .compile import compile_model
from .optimizers import default_amp_dtype

AMP_TYPE = 'laanet.DeviceAmpOptimWrapper'
AMP_TYPES = ('AmpOptimWrapper', 'DeviceAmpOptimWrapper', AMP_TYPE)
# MMEngine's runner looks the wrapper type up in the root registry, so it
# must carry the scope.
SAM_DDP_TYPE = 'laanet.SAMDistributedDataParallel'
DDP_TYPES = ('MMDistributedDataParallel', 'SAMDistributedDataParallel',
             'laanet.SAMDistributedDataParallel')


def _slurm_env() -> None:
    """Set RANK / WORLD_SIZE / LOCAL_RANK / MASTER_* from SLURM."""
    os.environ.setdefault('RANK', os.environ['SLURM_PROCID'])
    os.environ.setdefault('WORLD_SIZE', os.environ['SLURM_NTASKS'])
    os.environ.setdefault('LOCAL_RANK', os.environ.get('SLURM_LOCALID', '0'))
    if 'MASTER_ADDR' not in os.environ:
        node_list = os.environ['SLURM_NODELIST']
        os.environ['MASTER_ADDR'] = subprocess.getoutput(
            f'scontrol show hostname {node_list} | head -n1')
    os.environ.setdefault('MASTER_PORT', '29500')


def prepare_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Make ``launcher='pytorch'``/``'slurm'`` work without CUDA.

    MMEngine 0.10.7 calls ``torch.cuda.set_device`` while initialising the
    process group and passes ``device_ids`` to DDP. Without CUDA this
    initialises the gloo process group itself (the runner then skips its
    own initialisation), sets the gloo backend in ``env_cfg`` and uses
    :class:`SAMDistributedDataParallel`, which drops ``device_ids`` on CPU
    and otherwise behaves like ``MMDistributedDataParallel``.

    Args:
        cfg (Config): The config, modified in place.
        launcher (str): ``'none'``, ``'pytorch'`` or ``'slurm'``.

    Returns:
        bool: True if it initialised a process group.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return False
    env_cfg = cfg.setdefault('env_cfg', ConfigDict())
    dist_cfg = env_cfg.setdefault('dist_cfg', ConfigDict())
    dist_cfg['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg')
    if wrapper is None:
        cfg.model_wrapper_cfg = ConfigDict(
            type=SAM_DDP_TYPE,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))
    elif wrapper.get('type', 'MMDistributedDataParallel') in DDP_TYPES:
        wrapper['type'] = SAM_DDP_TYPE
    else:
        raise ValueError(
            f'model_wrapper_cfg type {wrapper.get("type")!r} is not known to '
            'run on CPU; use SAMDistributedDataParallel (it drops the '
            '`device_ids` MMEngine passes) for distributed CPU runs.')
    if dist.is_initialized():
        return False
    if launcher == 'slurm':
        _slurm_env()
    elif launcher != 'pytorch':
        raise ValueError(f'Launcher {launcher!r} is not supported on CPU; '
                         "use 'pytorch' (torchrun) or 'slurm'.")
    timeout = dist_cfg.get('timeout')
    kwargs = dict(timeout=timedelta(seconds=timeout)) if timeout else {}
    dist.init_process_group(
        backend='gloo',
        rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']),
        **kwargs)
    return True


def cleanup_distributed(wait_for_all: bool = True) -> None:
    """Destroy the default process group if there is one.

    Args:
        wait_for_all (bool): Meet every rank at a barrier first, so that a
            rank that finished early does not tear the group down while
            another still talks to it (gloo then aborts the slower rank).
            Pass False after an error, when other ranks may never arrive.
            Defaults to True.
    """
    if dist.is_available() and dist.is_initialized():
        if wait_for_all and dist.get_world_size() > 1:
            dist.barrier()
        dist.destroy_process_group()


def apply_common_options(cfg: Config,
                         config_path: str,
                         work_dir: Optional[str] = None,
                         launcher: str = 'none',
                         cfg_options: Optional[dict] = None) -> Config:
    """Apply ``--cfg-options``, the work dir and the launcher.

    The work dir is, in order: ``work_dir``, the config's ``work_dir``,
    ``./work_dirs/<config file stem>``.

    Args:
        cfg (Config): The config, modified in place.
        config_path (str): The config file (for the default work dir).
        work_dir (str, optional): The work dir from the command line.
        launcher (str): The launcher. Defaults to ``'none'``.
        cfg_options (dict, optional): ``--cfg-options``.

    Returns:
        Config: ``cfg``.
    """
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    cfg.launcher = launcher
    return cfg


def apply_amp(cfg: Config) -> None:
    """Switch the config to mixed precision (``--amp``).

    ``DeviceAmpOptimWrapper`` (CUDA or CPU) with the dtype of
    :func:`~laanet.engine.default_amp_dtype` for the device the runner
    will use: bfloat16 where supported, else float16 with dynamic loss
    scaling (correct with SAM's two passes, see
    :func:`~laanet.engine.sam_train_step`). A dtype the config already
    sets is kept. On a CPU it is opt-in: the gain depends on the CPU's
    bfloat16 support and on the model (a training pass of FakeSTormer's
    ViT ran 2.5x faster than in float32 on a CPU with AMX, LAA-Net's
    EfficientNet 1.2x on one with AVX512-BF16;
    ``docs/en/advanced_guides/benchmarks.md``).

    Args:
        cfg (Config): The config, modified in place.
    """
    optim_wrapper = cfg.optim_wrapper
    if optim_wrapper.get('type', 'OptimWrapper') in AMP_TYPES:
        print_log('AMP is already enabled in the config.', logger='current')
    optim_wrapper.type = AMP_TYPE
    if optim_wrapper.get('dtype') is None:
        device = 'cuda' if torch.cuda.is_available() else 'cpu'
        optim_wrapper.dtype = str(default_amp_dtype(device)).split('.')[-1]
    optim_wrapper.setdefault('loss_scale', 'dynamic')


def apply_compile(cfg: Config, compile_cfg) -> None:
    """Turn ``torch.compile`` on (``--compile``): ``cfg.compile``.

    Args:
        cfg (Config): The config, modified in place.
        compile_cfg (bool | dict): True or ``torch.compile`` keyword
            arguments.
    """
    cfg.compile = compile_cfg


def apply_train_options(cfg: Config,
                        config_path: str,
                        work_dir: Optional[str] = None,
                        resume: Optional[str] = None,
                        amp: bool = False,
                        launcher: str = 'none',
                        cfg_options: Optional[dict] = None,
                        compile: bool = False) -> Config:
    """Apply the options of ``tools/train.py`` to a config.

    Args:
        cfg (Config): The config, modified in place.
        config_path (str): The config file.
        work_dir (str, optional): ``--work-dir``.
        resume (str, optional): ``--resume``: ``'auto'`` resumes from the
            latest checkpoint in the work dir, a path from that file, None
            does not resume.
        amp (bool): ``--amp``. Defaults to False.
        launcher (str): ``--launcher``. Defaults to ``'none'``.
        cfg_options (dict, optional): ``--cfg-options``.
        compile (bool): ``--compile``. Defaults to False.

    Returns:
        Config: ``cfg``.
    """
    apply_common_options(cfg, config_path, work_dir, launcher, cfg_options)
    if compile:
        apply_compile(cfg, True)
    if resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif resume is not None:
        cfg.resume = True
        cfg.load_from = resume
    if amp:
        apply_amp(cfg)
    return cfg


def _deepfake_metrics(evaluator) -> list:
    """The DeepfakeMetric configs inside an evaluator config."""
    if evaluator is None:
        return []
    if isinstance(evaluator, dict) and 'metrics' in evaluator:
        evaluator = evaluator['metrics']
    if isinstance(evaluator, dict):
        evaluator = [evaluator]
    return [
        m for m in evaluator
        if m.get('type') in ('DeepfakeMetric', 'laanet.DeepfakeMetric')
    ]


def apply_test_options(cfg: Config,
                       config_path: str,
                       checkpoint: str,
                       work_dir: Optional[str] = None,
                       out: Optional[str] = None,
                       show_dir: Optional[str] = None,
                       show: bool = False,
                       interval: int = 1,
                       tta: Optional[bool] = None,
                       launcher: str = 'none',
                       cfg_options: Optional[dict] = None,
                       compile: bool = False,
                       amp: bool = False,
                       metric_protocol: Optional[str] = None,
                       video_grouping: Optional[str] = None) -> Config:
    """Apply the options of ``tools/test.py`` to a config.

    Args:
        cfg (Config): The config, modified in place.
        config_path (str): The config file.
        checkpoint (str): The checkpoint to test.
        work_dir (str, optional): ``--work-dir``.
        out (str, optional): ``--out``: the ``.json``/``.csv`` file for the
            per-frame and per-video scores.
        show_dir (str, optional): ``--show-dir``: write heatmap overlays
            to ``<work_dir>/<timestamp>/<show_dir>``.
        show (bool): ``--show``: display them. Defaults to False.
        interval (int): Draw every ``interval``-th sample. Defaults to 1.
        tta (bool, optional): Set ``model.test_cfg.flip_test``; None keeps
            the config's value.
        launcher (str): ``--launcher``. Defaults to ``'none'``.
        cfg_options (dict, optional): ``--cfg-options``.
        compile (bool): ``--compile``. Defaults to False.
        amp (bool): ``--amp``: MMEngine's ``test_cfg.fp16`` (the test loop
            autocasts: bfloat16 on a CPU, float16 on CUDA; the detectors'
            predictions stay float32). Defaults to False.
        metric_protocol (str, optional): ``--metric-protocol``: the
            ``protocol`` of every ``DeepfakeMetric`` (``'deepfakebench'``
            also drops their ``video_score``: the protocol fixes it).
        video_grouping (str, optional): ``--video-grouping``: their
            ``video_grouping``.

    Returns:
        Config: ``cfg``.

    Raises:
        ValueError: If ``out``, ``metric_protocol`` or ``video_grouping``
            is given but the test evaluator has no ``DeepfakeMetric``,
            or ``show_dir``/``show`` is given but the config has no
            ``default_hooks.visualization``.
    """
    apply_common_options(cfg, config_path, work_dir, launcher, cfg_options)
    if compile:
        apply_compile(cfg, True)
    cfg.load_from = checkpoint
    cfg.resume = False
    if amp:
        test_cfg = cfg.get('test_cfg') or ConfigDict()
        test_cfg['fp16'] = True
        cfg.test_cfg = test_cfg
    metric_options = {
        ('--out', 'scores_file'): out,
        ('--metric-protocol', 'protocol'): metric_protocol,
        ('--video-grouping', 'video_grouping'): video_grouping
    }
    for (flag, key), value in metric_options.items():
        if value is None:
            continue
        metrics = _deepfake_metrics(cfg.get('test_evaluator'))
        if not metrics:
            raise ValueError(f'{flag} needs a DeepfakeMetric in '
                             f'test_evaluator, but got '
                             f'{cfg.get("test_evaluator")}.')
        for metric in metrics:
            metric[key] = value
            if key == 'protocol' and value == 'deepfakebench':
                metric.pop('video_score', None)
    if show_dir is not None or show:
        hooks = cfg.get('default_hooks') or {}
        if 'visualization' not in hooks:
            raise ValueError(
                '--show-dir/--show need `default_hooks.visualization` '
                "(dict(type='DeepfakeVisualizationHook')) in the config.")
        hooks['visualization']['enable'] = True
        hooks['visualization']['interval'] = interval
        if show_dir is not None:
            hooks['visualization']['out_dir'] = show_dir
        if show:
            hooks['visualization']['show'] = True
    apply_tta(cfg, tta)
    return cfg


def apply_tta(cfg: Config, tta: Optional[bool]) -> Config:
    """Set ``model.test_cfg.flip_test`` (``--tta`` / ``--no-tta``).

    Args:
        cfg (Config): The config, modified in place.
        tta (bool, optional): Flip testing on or off; None keeps the
            config's value.

    Returns:
        Config: ``cfg``.
    """
    if tta is not None:
        model_test_cfg = cfg.model.get('test_cfg') or ConfigDict()
        model_test_cfg['flip_test'] = tta
        cfg.model['test_cfg'] = model_test_cfg
    return cfg


def build_runner(cfg: Config) -> Runner:
    """Build the runner (``runner_type`` if the config sets one).

    Also initialises gloo for distributed CPU runs, enables loading of
    the runner's own checkpoints with torch>=2.6, and applies the config's
    ``compile`` (MMEngine's option: True or ``torch.compile`` keyword
    arguments) to the model's parts with
    :func:`~laanet.engine.compile_model`, for training *and*
    testing. MMEngine itself would compile only ``train_step``, i.e. the
    whole two-pass SAM step with its backward calls and optimizer steps;
    the runner is therefore given the config without ``compile``.

    Args:
        cfg (Config): The complete config.

    Returns:
        Runner: The runner.
    """
    enable_mmengine_checkpoints()
    prepare_cpu_distributed(cfg, cfg.get('launcher', 'none'))
    compile_cfg = cfg.pop('compile', None)
    try:
        if 'runner_type' not in cfg:
            runner = Runner.from_cfg(cfg)
        else:
            runner = RUNNERS.build(cfg)
    finally:
        if compile_cfg is not None:
            cfg.compile = compile_cfg
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    names = compile_model(model, compile_cfg)
    if names:
        runner.logger.info(
            f'torch.compile applied to {", ".join(names)} '
            f'(compile={compile_cfg}); the first iterations compile.')
    return runner
