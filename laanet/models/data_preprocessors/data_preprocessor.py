# Copyright (c) laanet contributors. All rights reserved.
"""Batch normalisation on the device (BGR uint8 to normalised RGB)."""
from typing import Optional, Sequence, Union

import torch
from mmengine.model import ImgDataPreprocessor

from laanet.registry import MODELS
from laanet.structures.layout import (LAYOUTS, PAIR_COLLATE_HINT, batch_ndim,
                                      check_layout)


@MODELS.register_module()
class DeepfakeDataPreprocessor(ImgDataPreprocessor):
    """Stack, convert BGR→RGB and normalise a batch of face crops.

    Pipelines emit BGR uint8 images; this module (on the model's device)
    makes them RGB in [-1, 1] with the defaults (mean = std = 127.5), the
    input range of the AdvProp EfficientNet weights.

    The batch layout is declared, not guessed (``layout``, see
    :mod:`laanet.structures.layout`): ``'image'`` takes a stacked tensor
    (N, 3, H, W) or a list of (3, H, W) tensors; ``'clip'`` a tensor
    (N, 3, T, H, W) or a list of (3, T, H, W) tensors, normalised per
    channel like images (every frame of a clip alike). A batch of another
    rank raises an error naming the declared layout. (Real, fake) pairs
    must be flattened by ``collate_fn=dict(type='laanet.pair_collate')``
    first; un-flattened pairs (nested data sample lists) raise an error
    that says so.

    Args:
        mean (Sequence[float]): Per-channel mean (after BGR→RGB).
            Defaults to ``(127.5, 127.5, 127.5)``.
        std (Sequence[float]): Per-channel std. Defaults to
            ``(127.5, 127.5, 127.5)``.
        to_rgb (bool): Convert BGR inputs to RGB. Defaults to True.
        pad_size_divisor (int): Pad H and W to a multiple of it.
            Defaults to 1.
        pad_value (float): Padding value. Defaults to 0.
        channels_last (bool): Return the batch in channels-last memory
            format. Every convolution then runs channels-last (PyTorch
            follows the input's format; the weights need no conversion):
            about 1.3x faster training and inference on CPU
            (``docs/en/advanced_guides/benchmarks.md``), and the format
            tensor cores want with AMP on GPUs. Outputs equal the default
            layout's within float rounding. This default is the one switch
            for every config; turn it off with
            ``--cfg-options model.data_preprocessor.channels_last=False``.
            Clips get ``torch.channels_last_3d`` (N, T, H, W, C in
            memory), so a model that folds the clip axis into the batch
            (``x.transpose(1, 2).flatten(0, 1)``) gets channels-last frames
            without a copy. Defaults to True.
        non_blocking (bool): Non-blocking host→device copies. Defaults to
            False.
        layout (str): The declared sample layout, ``'image'`` or
            ``'clip'`` (:data:`~laanet.structures.layout.LAYOUTS`).
            Defaults to ``'image'``.
    """

    def __init__(self,
                 mean: Sequence[float] = (127.5, 127.5, 127.5),
                 std: Sequence[float] = (127.5, 127.5, 127.5),
                 to_rgb: bool = True,
                 pad_size_divisor: int = 1,
                 pad_value: Union[float, int] = 0,
                 channels_last: bool = True,
                 non_blocking: Optional[bool] = False,
                 layout: str = 'image') -> None:
        super().__init__(
            mean=mean,
            std=std,
            pad_size_divisor=pad_size_divisor,
            pad_value=pad_value,
            bgr_to_rgb=to_rgb,
            non_blocking=non_blocking)
        self.channels_last = channels_last
        self.layout = check_layout(layout)

    def check_layout(self, data: dict) -> None:
        """Refuse a batch that does not have the declared layout.

        Args:
            data (dict): ``inputs`` and optional ``data_samples``.

        Raises:
            ValueError: For (real, fake) pairs that were not flattened
                (nested data sample lists), or for inputs whose rank is not
                the declared layout's.
        """
        samples = data.get('data_samples')
        if samples and isinstance(samples[0], (list, tuple)):
            raise ValueError(
                'DeepfakeDataPreprocessor got (real, fake) pairs that were '
                f'not flattened: {PAIR_COLLATE_HINT}.')
        inputs = data['inputs']
        want = batch_ndim(self.layout)
        if isinstance(inputs, torch.Tensor):
            ndim = inputs.dim()
        elif isinstance(inputs, (list, tuple)) and inputs and isinstance(
                inputs[0], torch.Tensor):
            ndim = inputs[0].dim() + 1
        else:
            return  # the parent class names other input types
        if ndim != want:
            shape = tuple(inputs.shape) if isinstance(
                inputs, torch.Tensor) else f'{len(inputs)} x ' + str(
                    tuple(inputs[0].shape))
            others = [n for n, dims in LAYOUTS.items() if len(dims) == ndim]
            hint = (f"; a batch of that rank is layout '{others[0]}' "
                    f"(model.data_preprocessor.layout='{others[0]}')"
                    if others else '')
            raise ValueError(
                f"DeepfakeDataPreprocessor(layout='{self.layout}') takes "
                f'{LAYOUTS[self.layout]} batches, got inputs {shape}{hint}. '
                'Un-flattened (real, fake) pairs add an axis too: '
                f'{PAIR_COLLATE_HINT}.')

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, convert and normalise.

        Args:
            data (dict): ``inputs`` (uint8 BGR) and ``data_samples``.
            training (bool): Unused (no batch augmentation).

        Returns:
            dict: ``inputs`` float (N, 3, H, W), or (N, 3, T, H, W) for
            clips, and ``data_samples``.
        """
        self.check_layout(data)
        if self.layout == 'clip':
            return self._forward_clips(data, training)
        data = super().forward(data, training)
        if self.channels_last:
            data['inputs'] = data['inputs'].contiguous(
                memory_format=torch.channels_last)
        return data

    def _forward_clips(self, data: dict, training: bool) -> dict:
        """Normalise (N, C, T, H, W) clips as N·T images."""
        data = dict(data)
        clips = data['inputs']
        if not isinstance(clips, torch.Tensor):
            clips = torch.stack(list(clips))
        n, c, t, h, w = clips.shape
        data['inputs'] = clips.transpose(1, 2).reshape(n * t, c, h, w)
        data = super().forward(data, training)
        frames = data['inputs']
        clips = frames.reshape(n, t, c, *frames.shape[2:]).transpose(1, 2)
        if self.channels_last and not torch.onnx.is_in_onnx_export():
            # (the ONNX exporter has no 3-D channels-last; in a graph the
            # memory format means nothing)
            data['inputs'] = clips.contiguous(
                memory_format=torch.channels_last_3d)
        else:
            data['inputs'] = clips.contiguous()
        return data
