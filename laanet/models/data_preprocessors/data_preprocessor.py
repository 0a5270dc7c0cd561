# Copyright (c) laanet contributors. All rights reserved.
"""Batch normalisation on the device, with (real, fake) pair flattening."""
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

    Accepted ``inputs``:

    - a stacked tensor (N, 3, H, W) or a list of (3, H, W) tensors;
    - pairs, for robustness when the pair collate function was not used:
      a tensor (N, 2, 3, H, W) or a list of (2, 3, H, W) tensors, with
      ``data_samples`` a list of 2-element lists. Pairs are flattened in
      order (real, fake), without shuffling.

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
            format (faster convolutions on CPU and with AMP on GPU when the
            model is channels-last too). Defaults to False.
        non_blocking (bool): Non-blocking host→device copies. Defaults to
            False.
    """

    def __init__(self,
                 mean: Sequence[float] = (127.5, 127.5, 127.5),
                 std: Sequence[float] = (127.5, 127.5, 127.5),
                 to_rgb: bool = True,
                 pad_size_divisor: int = 1,
                 pad_value: Union[float, int] = 0,
                 channels_last: bool = False,
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
    def flatten_pairs(data: dict) -> dict:
        """Flatten (real, fake) pairs into one batch, order preserved.

        Args:
            data (dict): ``inputs`` and optional ``data_samples``.

        Returns:
            dict: The same dict with flat ``inputs`` / ``data_samples``.
        """
        inputs = data['inputs']
        paired = False
        if isinstance(inputs, torch.Tensor) and inputs.dim() == 5:
            data['inputs'] = inputs.flatten(0, 1)
            paired = True
        elif (isinstance(inputs, (list, tuple)) and inputs and all(
                isinstance(x, torch.Tensor) and x.dim() == 4 for x in inputs)):
            data['inputs'] = torch.cat(list(inputs), dim=0)
            paired = True
        samples = data.get('data_samples')
        if samples is not None and samples and isinstance(
                samples[0], (list, tuple)):
            data['data_samples'] = [s for pair in samples for s in pair]
        elif paired and samples is not None:
            raise ValueError('Paired inputs need data_samples given as a list '
                             'of (real, fake) lists.')
        if samples is not None:
            n_in = len(data['inputs'])
            if len(data['data_samples']) != n_in:
                raise ValueError(
                    f'{n_in} images but {len(data["data_samples"])} data '
                    'samples after flattening the pairs.')
        return data

    def forward(self, data: dict, training: bool = False) -> dict:
        """Flatten pairs, then stack, convert and normalise.

        Args:
            data (dict): ``inputs`` (uint8 BGR) and ``data_samples``.
            training (bool): Unused (no batch augmentation).

        Returns:
            dict: ``inputs`` float (N, 3, H, W) and ``data_samples``.
        """
        data = self.flatten_pairs(dict(data))
        data = super().forward(data, training)
        if self.channels_last:
            data['inputs'] = data['inputs'].contiguous(
                memory_format=torch.channels_last)
        return data
