# Copyright (c) laanet contributors. All rights reserved.
"""Batch normalisation on the device (BGR uint8 to normalised RGB)."""
from typing import Optional, Sequence, Union

import torch
from mmengine.model import ImgDataPreprocessor

from laanet.registry import MODELS


@MODELS.register_module()
class DeepfakeDataPreprocessor(ImgDataPreprocessor):
    """Stack, convert BGR→RGB and normalise a batch of face crops.

    Pipelines emit BGR uint8 images; this module (on the model's device)
    makes them RGB in [-1, 1] with the defaults (mean = std = 127.5), the
    input range of the AdvProp EfficientNet weights.

    Accepted ``inputs``: a stacked tensor (N, 3, H, W) or a list of
    (3, H, W) tensors. (Real, fake) pairs must be flattened by
    ``collate_fn=dict(type='laanet.pair_collate')`` first; un-flattened
    pairs raise an error that says so
    (:mod:`laanet.datasets.transforms.views`).

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
            Defaults to True.
        non_blocking (bool): Non-blocking host→device copies. Defaults to
            False.
    """

    def __init__(self,
                 mean: Sequence[float] = (127.5, 127.5, 127.5),
                 std: Sequence[float] = (127.5, 127.5, 127.5),
                 to_rgb: bool = True,
                 pad_size_divisor: int = 1,
                 pad_value: Union[float, int] = 0,
                 channels_last: bool = True,
                 non_blocking: Optional[bool] = False) -> None:
        super().__init__(
            mean=mean,
            std=std,
            pad_size_divisor=pad_size_divisor,
            pad_value=pad_value,
            bgr_to_rgb=to_rgb,
            non_blocking=non_blocking)
        self.channels_last = channels_last

    @staticmethod
    def check_not_paired(data: dict) -> None:
        """Refuse (real, fake) pairs that were not flattened.

        Only :func:`~laanet.datasets.pair_collate` flattens pairs (with
        the joint shuffle the training recipe needs); un-flattened pairs
        here mean the dataloader has no ``collate_fn`` for them.

        Args:
            data (dict): ``inputs`` and optional ``data_samples``.

        Raises:
            ValueError: For a (N, 2, 3, H, W) tensor, a list of
                (2, 3, H, W) tensors or nested data sample lists.
        """
        inputs = data['inputs']
        samples = data.get('data_samples')
        paired = (isinstance(inputs, torch.Tensor) and inputs.dim() == 5) or (
            isinstance(inputs, (list, tuple)) and bool(inputs)
            and isinstance(inputs[0], torch.Tensor) and inputs[0].dim() == 4)
        paired = paired or bool(samples) and isinstance(
            samples[0], (list, tuple))
        if paired:
            # the pair contract's module (imported here only: laanet.models
            # does not depend on laanet.datasets otherwise)
            from laanet.datasets.transforms.views import PAIR_COLLATE_HINT
            raise ValueError(
                'DeepfakeDataPreprocessor got (real, fake) pairs that were '
                f'not flattened: {PAIR_COLLATE_HINT}.')

    def forward(self, data: dict, training: bool = False) -> dict:
        """Stack, convert and normalise.

        Args:
            data (dict): ``inputs`` (uint8 BGR) and ``data_samples``.
            training (bool): Unused (no batch augmentation).

        Returns:
            dict: ``inputs`` float (N, 3, H, W) and ``data_samples``.
        """
        self.check_not_paired(data)
        data = super().forward(data, training)
        if self.channels_last:
            data['inputs'] = data['inputs'].contiguous(
                memory_format=torch.channels_last)
        return data
