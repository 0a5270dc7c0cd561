# Copyright (c) laanet contributors. All rights reserved.
"""Global average pooling neck of the classifiers."""
from typing import Sequence, Tuple, Union

import torch
from torch import nn

from laanet.registry import MODELS


@MODELS.register_module()
class GlobalAveragePooling(nn.Module):
    """Average every feature map over its spatial dimensions.

    As mmpretrain's neck of the same name: a tensor (N, C, H, W) gives
    (N, C); a tuple of maps gives a tuple of pooled vectors.
    """

    def forward(
        self, inputs: Union[torch.Tensor, Sequence[torch.Tensor]]
    ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Pool.

        Args:
            inputs (torch.Tensor | Sequence[torch.Tensor]): (N, C, H, W)
                maps.

        Returns:
            torch.Tensor | tuple[torch.Tensor]: (N, C) vectors.
        """
        if isinstance(inputs, torch.Tensor):
            return inputs.mean(dim=(2, 3))
        if isinstance(inputs, (tuple, list)):
            return tuple(x.mean(dim=(2, 3)) for x in inputs)
        raise TypeError('GlobalAveragePooling takes a tensor or a tuple of '
                        f'tensors, got {type(inputs)}.')
