# Copyright (c) laanet contributors. All rights reserved.
"""Factories of small inputs and configs for the tests."""
import contextlib
import copy
import logging
import os.path as osp
from typing import Iterator, List, Optional, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger

from laanet.structures import DeepfakeDataSample

# Channels of the endpoints reduction_2..6 (c2, c3, c4, c5, head) per arch.
_ARCH_CHANNELS = {
    'b0': (24, 40, 112, 320, 1280),
    'b1': (24, 40, 112, 320, 1280),
    'b2': (24, 48, 120, 352, 1408),
    'b3': (32, 48, 136, 384, 1536),
    'b4': (32, 56, 160, 448, 1792),
    'b5': (40, 64, 176, 512, 2048),
    'b6': (40, 72, 200, 576, 2304),
    'b7': (48, 80, 224, 640, 2560),
}


def _fake_targets(rng: np.random.Generator, size: int):
    """Realistic fake-image targets on a ``size`` × ``size`` grid.

    A blurred elliptic blend mask M, the boundary B = 4M(1 − M), a
    Gaussian heatmap with an exact 1.0 peak at the first maximum of B, and
    the consistency map 1 − |B_max − B|.
    """
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    cy, cx = rng.uniform(0.35, 0.65, size=2) * (size - 1)
    ry, rx = rng.uniform(0.2, 0.35, size=2) * size
    dist = np.sqrt(((yy - cy) / ry)**2 + ((xx - cx) / rx)**2)
    mask = 1.0 / (1.0 + np.exp((dist - 1.0) * 6.0))
    boundary = 4 * mask * (1 - mask)
    py, px = np.unravel_index(np.argmax(boundary), boundary.shape)
    sigma = max(size / 32.0, 0.8)
    heatmap = np.exp(-((yy - py)**2 + (xx - px)**2) / (2 * sigma**2))
    heatmap[py, px] = 1.0
    consistency = 1.0 - np.abs(boundary.max() - boundary)
    return (heatmap.astype(np.float32), consistency.astype(np.float32),
            boundary.astype(np.float32))


def get_packed_inputs(batch_size: int = 2,
                      img_size: int = 64,
                      heatmap_size: int = 16,
                      with_targets: bool = True,
                      seed: Optional[int] = 0) -> dict:
    """A collated batch like the pair collate function returns.

    Samples alternate real (even index) and fake (odd index). Fakes have
    realistic targets (heatmap with exact 1.0 peaks, consistency in [0, 1],
    boundary mask); reals have all-zero maps (the official default).

    Args:
        batch_size (int): Number of images. Defaults to 2.
        img_size (int): Square image size. Defaults to 64.
        heatmap_size (int): Square target size. Defaults to 16.
        with_targets (bool): Add ``gt_fields``. Defaults to True.
        seed (int, optional): Seed of the generator. Defaults to 0.

    Returns:
        dict: ``inputs`` (uint8 BGR, (N, 3, S, S)) and ``data_samples``.
    """
    rng = np.random.default_rng(seed)
    inputs = torch.from_numpy(
        rng.integers(
            0, 256, size=(batch_size, 3, img_size, img_size), dtype=np.uint8))
    samples = []
    for i in range(batch_size):
        label = i % 2
        sample = DeepfakeDataSample().set_gt_label(label)
        sample.set_metainfo(
            dict(
                img_path=f'synthetic/{i:04d}.png',
                video_id=f'synthetic/{i // 2:03d}',
                frame_idx=i,
                manipulation='SBI' if label else 'original',
                dataset_name='synthetic',
                ori_shape=(img_size, img_size),
                img_shape=(img_size, img_size),
                flip=False))
        if with_targets:
            if label:
                heatmap, consistency, mask = _fake_targets(rng, heatmap_size)
            else:
                heatmap = consistency = mask = np.zeros(
                    (heatmap_size, heatmap_size), np.float32)
            sample.set_gt_heatmap(heatmap)
            sample.set_gt_field('consistency', consistency)
            sample.set_gt_field('boundary', mask)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def assert_outputs_close(tensors: dict, other_tensors: dict,
                         samples: list, other_samples: list,
                         tol: float = 1e-5) -> None:
    """Assert that two runs of a LAA-Net detector agree: the ``tensor``
    mode outputs, and the predicted logits and heatmaps.

    Args:
        tensors (dict): ``mode='tensor'`` outputs of the first run.
        other_tensors (dict): Those of the second run.
        samples (list): ``predict`` samples (with heatmaps) of the first.
        other_samples (list): Those of the second.
        tol (float): Absolute and relative tolerance. Defaults to 1e-5.
    """
    for key in tensors:
        torch.testing.assert_close(
            other_tensors[key], tensors[key], atol=tol, rtol=tol)
    for a, b in zip(samples, other_samples):
        torch.testing.assert_close(
            b.pred_logit, a.pred_logit, atol=tol, rtol=tol)
        torch.testing.assert_close(
            b.pred_fields.heatmap, a.pred_fields.heatmap, atol=tol, rtol=tol)


def get_detector_cfg(arch: str = 'b0') -> dict:
    """A LAANet config dict for fast tests (no pretrained weights).

    The decoder and head widths follow the backbone's channels, so any
    arch works; ``'b0'`` at 64 px is fast on a CPU.

    Args:
        arch (str): EfficientNet arch. Defaults to ``'b0'``.

    Returns:
        dict: ``dict(type='LAANet', ...)`` with ``init_cfg=None``.
    """
    if arch not in _ARCH_CHANNELS:
        raise ValueError(f'Unknown arch {arch!r}.')
    _, c3, c4, c5, c_head = _ARCH_CHANNELS[arch]
    neck_out = 2 * c3
    return copy.deepcopy(
        dict(
            type='LAANet',
            data_preprocessor=dict(
                type='DeepfakeDataPreprocessor',
                mean=[127.5] * 3,
                std=[127.5] * 3,
                to_rgb=True),
            backbone=dict(
                type='EfficientNet',
                arch=arch,
                out_indices=(2, 3, 4, 5),
                drop_path_rate=0.2,
                bn_momentum=0.01,
                init_cfg=None),
            neck=dict(type='EFPN', in_channels=[c3, c4, c5, c_head]),
            heatmap_head=dict(
                type='HeatmapHead',
                in_channels=neck_out,
                loss=dict(type='HeatmapFocalLoss', loss_weight=100.)),
            consistency_head=dict(
                type='ConsistencyHead',
                in_channels=neck_out,
                loss=dict(type='AnchorConsistencyLoss', loss_weight=100.)),
            cls_head=dict(
                type='DeepfakeClsHead',
                in_channels=neck_out,
                loss=dict(type='BinaryCrossEntropyLoss', loss_weight=1.)),
            test_cfg=dict(flip_test=True),
            init_cfg=None))


def get_inference_cfg(input_size: int = 64,
                      video_score: str = 'logit_mean',
                      flip_test: bool = True) -> Config:
    """A whole inference config around :func:`get_detector_cfg` ('b0').

    Faces are cropped at 128 px (margin 1.25), then letterboxed to
    ``input_size`` by the official test pipeline; the test metric has
    threshold 0.5.

    Args:
        input_size (int): Network input side. Defaults to 64.
        video_score (str): The metric's video rule. Defaults to
            ``'logit_mean'``.
        flip_test (bool): The detector's flip TTA. Defaults to True.

    Returns:
        Config: For ``DeepfakeInferencer`` and the demos (``.dump()`` it
        for a file).
    """
    model = get_detector_cfg('b0')
    model['test_cfg'] = dict(flip_test=flip_test)
    return Config(
        dict(
            default_scope='laanet',
            model=model,
            face_crop_cfg=dict(margin=1.25, size=128),
            test_dataloader=dict(
                dataset=dict(pipeline=[
                    dict(type='LoadImageFromFile'),
                    dict(
                        type='CenterCropLetterbox',
                        margin=5,
                        scale=input_size),
                    dict(type='PackDeepfakeInputs', pair=False)
                ])),
            test_evaluator=dict(
                type='DeepfakeMetric', threshold=0.5,
                video_score=video_score)))


def get_clip_inference_cfg(input_size: int = 32,
                           clip_len: int = 4,
                           flip_test: bool = False,
                           model: Optional[dict] = None) -> Config:
    """An inference config around the test-only :class:`ToyClipModel` (or
    another clip model).

    A clip model (``layout='clip'``) of ``clip_len`` frames: faces are
    cropped at 128 px (margin 1.25); the test pipeline is FakeSTormer's
    (``LoadClipFrames``, every frame margin-cropped by 15 px and
    letterboxed to ``input_size``, ``PackClipInputs``); the test metric
    has threshold 0.5 and the official video rule.

    Args:
        input_size (int): Network input side. Defaults to 32.
        clip_len (int): Frames per clip. Defaults to 4.
        flip_test (bool): Flip TTA. Defaults to False.
        model (dict, optional): Another clip model's config (e.g. the tiny
            FakeSTormer of ``configs/_base_/models/``), used as it is
            (``input_size`` and ``clip_len`` must fit it). Defaults to the
            toy model.

    Returns:
        Config: For ``DeepfakeInferencer``, the demos and the export.
    """
    if model is None:
        model = dict(
            type='ToyClipModel',
            channels=4,
            test_cfg=dict(flip_test=flip_test),
            cls_head=dict(type='LinearClsHead', in_channels=4, num_classes=1),
            temporal_head=dict(type='ToyTemporalHead', in_channels=4),
            heatmap_head=dict(
                type='ToyClipHeatmapHead', in_channels=4, stride=4))
    return Config(
        dict(
            default_scope='laanet',
            custom_imports=dict(
                imports=['laanet.testing'], allow_failed_imports=False),
            clip_len=clip_len,
            model=model,
            face_crop_cfg=dict(margin=1.25, size=128),
            test_dataloader=dict(
                dataset=dict(pipeline=[
                    dict(type='LoadClipFrames'),
                    dict(
                        type='ClipFramewise',
                        transforms=[
                            dict(
                                type='CenterCropLetterbox',
                                margin=15,
                                scale=input_size)
                        ]),
                    dict(type='PackClipInputs', pair=False)
                ])),
            test_evaluator=dict(
                type='DeepfakeMetric', threshold=0.5,
                video_score='logit_mean')))


def build_random_detector(cfg: Config,
                          seed: int = 0,
                          output_gain: float = 1.) -> torch.nn.Module:
    """Build ``cfg.model`` with seeded random weights, in eval mode.

    Args:
        cfg (Config): A config with ``model``.
        seed (int): Torch seed of the initialisation. Defaults to 0.
        output_gain (float): Factor on the weights of the last layers of
            the classification and (``final_conv``) heatmap heads. At
            random initialisation
            logits and heatmaps hardly vary from face to face; a gain of
            about 100 makes them depend on the input, so that comparisons
            between two runs mean something. Defaults to 1.

    Returns:
        nn.Module: The detector.
    """
    from mmengine.registry import init_default_scope

    from laanet.registry import MODELS
    init_default_scope('laanet')
    torch.manual_seed(seed)
    model = MODELS.build(copy.deepcopy(cfg.model)).eval()
    with torch.no_grad():
        model.cls_head.fc.weight.mul_(output_gain)
        heatmap_head = getattr(model, 'heatmap_head', None)
        # (FakeSTormer's heatmap head has no final_conv: a regression map)
        if getattr(heatmap_head, 'final_conv', None) is not None:
            heatmap_head.final_conv.weight.mul_(output_gain)
    return model


def write_random_checkpoint(cfg: Config,
                            path: str,
                            seed: int = 0,
                            output_gain: float = 1.) -> str:
    """Save the weights of :func:`build_random_detector` as a checkpoint.

    Two processes that load it (the CLI, the web app, an ONNX export)
    then run the same network.

    Args:
        cfg (Config): A config with ``model``.
        path (str): The ``.pth`` to write (``{'state_dict': ...}``).
        seed (int): See :func:`build_random_detector`. Defaults to 0.
        output_gain (float): See :func:`build_random_detector`. Defaults
            to 1.

    Returns:
        str: ``path``.
    """
    model = build_random_detector(cfg, seed, output_gain)
    torch.save(dict(state_dict=model.state_dict()), path)
    return path


def write_inference_files(root: str,
                          input_size: int = 64,
                          output_gain: float = 100.) -> Tuple[str, str]:
    """Write a config file of :func:`get_inference_cfg` and a checkpoint
    of :func:`write_random_checkpoint` for tools that take files.

    Args:
        root (str): An existing folder.
        input_size (int): See :func:`get_inference_cfg`. Defaults to 64.
        output_gain (float): See :func:`build_random_detector`. Defaults
            to 100 (input-dependent scores).

    Returns:
        tuple[str, str]: ``root/cfg.py`` and ``root/ckpt.pth``.
    """
    cfg_file = osp.join(root, 'cfg.py')
    get_inference_cfg(input_size).dump(cfg_file)
    ckpt = write_random_checkpoint(
        Config.fromfile(cfg_file),
        osp.join(root, 'ckpt.pth'),
        output_gain=output_gain)
    return cfg_file, ckpt


@contextlib.contextmanager
def capture_log() -> Iterator[List[str]]:
    """Collect the messages logged to MMEngine's current logger.

    Yields:
        list[str]: The messages, appended while the context is open.
    """
    messages: List[str] = []

    class _Collect(logging.Handler):

        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = _Collect(level=logging.DEBUG)
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
