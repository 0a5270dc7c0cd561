# Copyright (c) laanet contributors. All rights reserved.
"""Set inference up from a config: the detector (or its exported graph),
the test pipeline, the face detector and crop, the predict settings."""
import copy
import os.path as osp
from typing import Callable, List, Optional, Sequence, Union

import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.logging import print_log
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from torch import nn

from laanet.datasets.transforms.functional.pipeline_utils import strip_loading
from laanet.deployment import OnnxBackend
from laanet.engine import amp_autocast, compile_model
from laanet.engine.checkpoint import enable_mmengine_checkpoints
from laanet.models.detectors.fakestormer_ckpt_convert import \
    released_checkpoint_note
from laanet.preprocessing.face_detectors import FACE_PREP_CFG
from laanet.registry import MODELS, TASK_UTILS


def _drop_pretrained_init(cfg: dict) -> None:
    """Remove ``Pretrained`` init configs (weights come from the checkpoint,
    and no local ImageNet file is needed)."""
    if isinstance(cfg, dict):
        init_cfg = cfg.get('init_cfg')
        if isinstance(init_cfg, dict) and init_cfg.get('type') == 'Pretrained':
            cfg['init_cfg'] = None
        for value in cfg.values():
            _drop_pretrained_init(value)


def load_config(config: Union[str, Config]) -> Config:
    """A config from its file, or a copy of a config object.

    Args:
        config (str | Config): Config file or object.

    Returns:
        Config: A config the caller may change.

    Raises:
        FileNotFoundError: If the file does not exist.
        TypeError: For anything else than a path or a Config.
    """
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file {config} does not exist')
        return Config.fromfile(config)
    if isinstance(config, Config):
        return copy.deepcopy(config)
    raise TypeError('config must be a file path or a Config, got '
                    f'{type(config)}')


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu',
               cfg_options: Optional[dict] = None) -> nn.Module:
    """Build the detector of a config (LAA-Net, SBI...), optionally with
    weights.

    Both kinds of checkpoint load: laanet's (written by the MMEngine
    runner, ``state_dict`` inside) and the official ones, which the
    detectors convert on the fly (official LAA-Net
    ``{'epoch', 'state_dict', 'optimizer'}`` with ``PoseEfficientNet``
    keys: :class:`~laanet.models.LAANet`; official SBI EfficientNet-B4
    weights: :class:`~laanet.models.DeepfakeClassifier`). Keys must match
    exactly, so a config that does not fit the checkpoint
    fails with the list of differences instead of silently leaving layers
    random.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Local checkpoint file. None keeps the
            random initialisation (a warning says so).
        device (str | torch.device): Device. Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        nn.Module: The model in eval mode, with the config as ``model.cfg``.

    Raises:
        FileNotFoundError: If the config or checkpoint does not exist.
        RuntimeError: If the checkpoint does not fit the model.
    """
    config = load_config(config)
    if cfg_options is not None:
        config.merge_from_dict(cfg_options)
    # the registries import laanet's modules themselves (``locations``)
    init_default_scope(config.get('default_scope', 'laanet'))

    model_cfg = copy.deepcopy(config.model)
    if checkpoint is not None:
        _drop_pretrained_init(model_cfg)
    model = MODELS.build(model_cfg)
    if checkpoint is None:
        print_log(
            'init_model: no checkpoint given, the model keeps its random '
            'initialisation (its scores mean nothing).',
            logger='current',
            level=30)
    else:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
        # the runner's own checkpoints load with weights_only=True
        enable_mmengine_checkpoints()
        try:
            load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
        except RuntimeError as err:
            raise RuntimeError(
                f'checkpoint {checkpoint} does not fit the model of the '
                f'config: {err}') from err
        note = released_checkpoint_note(checkpoint, config.filename)
        if note is not None:
            print_log(note, logger='current')
    model.cfg = config
    model.to(device)
    model.eval()
    return model


def build_test_pipeline(cfg: Config) -> Compose:
    """The config's test pipeline without its loading steps.

    The first of ``test_dataloader.dataset.pipeline``,
    ``test_pipeline`` and ``val_pipeline`` that exists, with every
    ``Load*`` transform removed (inference feeds decoded face crops).

    Args:
        cfg (Config): The model's config.

    Returns:
        Compose: The pipeline of one face crop (``img`` and meta keys).

    Raises:
        ValueError: If the config has no test pipeline, or one that
            packs (real, fake) pairs.
    """
    pipeline = None
    test_loader = cfg.get('test_dataloader')
    if test_loader is not None:
        pipeline = test_loader.get('dataset', {}).get('pipeline')
    for key in ('test_pipeline', 'val_pipeline'):
        if pipeline is None:
            pipeline = cfg.get(key)
    if pipeline is None:
        raise ValueError(
            f'{cfg.filename or "the config"} has no test pipeline '
            '(test_dataloader.dataset.pipeline, test_pipeline or '
            'val_pipeline); inference runs the faces through it.')
    pipeline = strip_loading(pipeline)
    for t in pipeline:
        if t.get('type') == 'PackDeepfakeInputs' and t.get('pair'):
            raise ValueError('The test pipeline packs (real, fake) '
                             'pairs; inference needs pair=False.')
    return Compose(pipeline)


def init_backend(cfg: Config,
                 weights: Optional[str],
                 device: str,
                 backend: str = 'pytorch',
                 compile: Union[bool, dict] = False):
    """The detector that inference runs: PyTorch or an ONNX graph.

    Args:
        cfg (Config): The model's config.
        weights (str, optional): Checkpoint (pytorch; None keeps random
            weights) or the ``.onnx`` file (onnxruntime).
        device (str): Device.
        backend (str): ``'pytorch'`` (:func:`init_model`, then
            :func:`~laanet.engine.compile_model` with ``compile``)
            or ``'onnxruntime'`` (:class:`~laanet.deployment.OnnxBackend`).
            Defaults to ``'pytorch'``.
        compile (bool | dict): See ``compile_model``. Defaults to False.

    Returns:
        nn.Module | OnnxBackend: The model, in eval mode.

    Raises:
        ValueError: For an unknown backend, onnxruntime without weights
            or with ``compile``.
    """
    if backend == 'pytorch':
        model = init_model(cfg, weights, device)
        compile_model(model, compile)
        return model
    if backend != 'onnxruntime':
        raise ValueError(f'Unknown backend {backend!r}; use '
                         "'pytorch' or 'onnxruntime'")
    if weights is None:
        raise ValueError('backend onnxruntime needs weights: the .onnx file')
    if compile:
        raise ValueError('compile is for the pytorch backend')
    return OnnxBackend(weights, cfg, device)


def face_crop_settings(cfg: Config,
                       face_crop_cfg: Optional[dict] = None) -> dict:
    """The face crop of inference: ``margin`` and ``size``.

    Those of :data:`~laanet.preprocessing.face_detectors.FACE_PREP_CFG` (the
    data preparation's), updated by the config's ``face_crop_cfg`` and
    then by ``face_crop_cfg``.

    Args:
        cfg (Config): The model's config.
        face_crop_cfg (dict, optional): Overrides.

    Returns:
        dict: ``margin`` and ``size``.
    """
    crop = dict(margin=FACE_PREP_CFG['margin'], size=FACE_PREP_CFG['size'])
    crop.update(cfg.get('face_crop_cfg', None) or {})
    crop.update(face_crop_cfg or {})
    return crop


def build_face_detector(
        face_detector: Optional[Union[dict, Callable]] = None) -> Callable:
    """The face detector of inference.

    Args:
        face_detector (dict | callable, optional): A ``TASK_UTILS`` config
            or a detector (``detector(bgr) -> (K, 5)``). Defaults to the
            data preparation's (``FACE_PREP_CFG['detector']``).

    Returns:
        callable: The detector.
    """
    if face_detector is None:
        face_detector = copy.deepcopy(FACE_PREP_CFG['detector'])
    if isinstance(face_detector, dict):
        face_detector = TASK_UTILS.build(face_detector)
    return face_detector


def predict_settings(model) -> dict:
    """The ``test_cfg`` inference passes to ``model.predict``.

    The model's own, with heatmaps always predicted where the model has a
    heatmap head (they are cheap next to the backbone). A per-call copy:
    the model's ``test_cfg`` is left alone.

    Args:
        model (nn.Module | OnnxBackend): The detector.

    Returns:
        dict: The predict settings.
    """
    cfg = dict(model.test_cfg)
    if getattr(model, 'heatmap_head', None) is not None:
        cfg['output_heatmaps'] = True
    return cfg


@torch.no_grad()
def predict_samples(model,
                    pipeline: Compose,
                    items: Sequence[dict],
                    predict_cfg: dict,
                    batch_size: int,
                    amp: bool = False) -> List:
    """Score model samples, ``batch_size`` at a time.

    Args:
        model (nn.Module | OnnxBackend): The detector.
        pipeline (Compose): The test pipeline (:func:`build_test_pipeline`).
        items (Sequence[dict]): Its inputs (``img`` and meta keys), e.g.
            a sample builder's.
        predict_cfg (dict): ``test_cfg`` of ``model.predict``
            (:func:`predict_settings`).
        batch_size (int): Samples per forward pass.
        amp (bool): Run the network under autocast
            (:func:`~laanet.engine.amp_autocast`, bfloat16 on a CPU); the
            predictions stay float32. Defaults to False.

    Returns:
        list[DeepfakeDataSample]: The predictions (``pred_score``,
        ``pred_logit``, ``pred_fields.heatmap`` for heatmap models), each
        with ``net_input``, the network input ((3, H, W) uint8 BGR).
    """
    samples = []
    for start in range(0, len(items), batch_size):
        batch = [pipeline(dict(c)) for c in items[start:start + batch_size]]
        data = model.data_preprocessor(pseudo_collate(batch), False)
        with amp_autocast(data['inputs'].device, amp):
            preds = model.predict(data['inputs'], data['data_samples'],
                                  predict_cfg)
        for item, sample in zip(batch, preds):
            sample.set_data(dict(net_input=item['inputs']))
            samples.append(sample)
    return samples
