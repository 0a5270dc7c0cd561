# Copyright (c) laanet contributors. All rights reserved.
from .anchor_consistency_loss import (AnchorConsistencyLoss,
                                      anchor_similarity_logits, first_argmax)
from .binary_cross_entropy_loss import BinaryCrossEntropyLoss
from .cross_entropy_loss import CrossEntropyLoss
from .heatmap_focal_loss import HeatmapFocalLoss, heatmap_focal_loss
from .masked_mse_loss import MaskedMSELoss
from .utils import weight_reduce_loss

__all__ = [
    'AnchorConsistencyLoss', 'anchor_similarity_logits', 'first_argmax',
    'BinaryCrossEntropyLoss', 'CrossEntropyLoss', 'HeatmapFocalLoss',
    'heatmap_focal_loss', 'MaskedMSELoss', 'weight_reduce_loss'
]
