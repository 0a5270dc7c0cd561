# Copyright (c) laanet contributors. All rights reserved.
"""An official-equivalent LAA-Net network, for parity tests and benchmarks.

The official code is not a dependency (research-only licence). This module
rebuilds, from the facts in the reference (§1–§2), a network with the
**official module and state-dict layout** (``PoseEfficientNet`` keys: the
lukemelas backbone at top level, ``inception_block`` registered twice,
``deconv_1..4``, ``hm`` / ``cls`` / ``cstency`` sequentials) and the
official way of computing the losses (sigmoid then clamp / BCE). The
backbone is ``efficientnet_pytorch`` 0.7.1 (Apache-2.0, a test-only
dependency) with its ``MemoryEfficientSwish`` and the 380-px static
padding, as the official model uses. It serves two purposes:

- its ``state_dict()`` is a synthetic official checkpoint (tests of the
  converter and of output parity after conversion);
- ``tools/analysis_tools/benchmark_model.py --reference official`` times
  its training pass (float64 = the official recipe, or float32) against
  laanet's.
"""
from typing import Dict, Sequence

import torch
import torch.nn.functional as F
from torch import nn


def _conv_block(cin: int, cout: int, k: int) -> nn.Sequential:
    """Official ``conv_block``: Conv(no bias) → BN(m=0.1) → ReLU."""
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, 1, k // 2, bias=False),
        nn.BatchNorm2d(cout, momentum=0.1), nn.ReLU(inplace=True))


class _OfficialInception(nn.Module):
    """Official inception block: one shared 1×1 block for all branches."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        mid = cout // 4
        self.pw_block = _conv_block(cin, mid, 1)
        self.conv3_block = _conv_block(mid, mid, 3)
        self.conv5_block = _conv_block(mid, mid, 5)
        self.pool = nn.MaxPool2d(3, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The four branches, concatenated."""
        b1 = self.pw_block(x)
        b2 = self.conv3_block(self.pw_block(x))
        b3 = self.conv5_block(self.pw_block(x))
        b4 = self.pw_block(self.pool(x))
        return torch.cat([b1, b2, b3, b4], 1)


class OfficialReferenceLAANet(nn.Module):
    """Official-equivalent LAA-Net B4 (E-FPN, heads hm / cls / cstency).

    Args:
        image_size (int): Nominal image size of the static padding.
            Defaults to 380 (the official B4 default).
    """

    def __init__(self, image_size: int = 380) -> None:
        super().__init__()
        from efficientnet_pytorch import EfficientNet
        net = EfficientNet.from_name(
            'efficientnet-b4', image_size=image_size, include_top=False)
        self._global_params = net._global_params
        self._conv_stem = net._conv_stem
        self._bn0 = net._bn0
        self._blocks = net._blocks
        self._conv_head = net._conv_head
        self._bn1 = net._bn1
        self._swish = net._swish  # MemoryEfficientSwish
        self._dropout = nn.Dropout(p=0.4)

        self.inception_block = _OfficialInception(112, 112)
        self.deconv_1 = nn.Sequential(_conv_block(1792, 448, 3))
        self.deconv_2 = nn.Sequential(
            _conv_block(896, 160, 3),
            nn.ConvTranspose2d(160, 160, 4, 2, 1, 0, bias=False),
            nn.BatchNorm2d(160, momentum=0.1))
        self.deconv_3 = nn.Sequential(
            _conv_block(320, 56, 3),
            nn.ConvTranspose2d(56, 56, 4, 2, 1, 0, bias=False),
            nn.BatchNorm2d(56, momentum=0.1))
        self.deconv_4 = nn.Sequential(
            self.inception_block,
            nn.ConvTranspose2d(112, 112, 4, 2, 1, 0, bias=False),
            nn.BatchNorm2d(112, momentum=0.1))
        self.relu = nn.ReLU(inplace=True)
        self.hm = nn.Sequential(
            nn.Conv2d(112, 64, 3, 1, 1), nn.BatchNorm2d(64),
            nn.ReLU(inplace=True), nn.Conv2d(64, 1, 1))
        self.cls = nn.Sequential(
            nn.Conv2d(112, 64, 3, 1, 1), nn.BatchNorm2d(64, momentum=0.1),
            nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(64, 1))
        self.cstency = nn.Sequential(
            nn.Conv2d(112, 64, 3, 1, 1), nn.BatchNorm2d(64),
            nn.ReLU(inplace=True), nn.Conv2d(64, 256, 1))

    def endpoints(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``reduction_1..6`` as the official ``extract_endpoints``."""
        out = {}
        x = self._swish(self._bn0(self._conv_stem(x)))
        prev = x
        for idx, block in enumerate(self._blocks):
            rate = self._global_params.drop_connect_rate
            if rate:
                rate *= float(idx) / len(self._blocks)
            x = block(x, drop_connect_rate=rate)
            if prev.size(2) > x.size(2):
                out[f'reduction_{len(out) + 1}'] = prev
            elif idx == len(self._blocks) - 1:
                out[f'reduction_{len(out) + 1}'] = x
            prev = x
        x = self._swish(self._bn1(self._conv_head(x)))
        out[f'reduction_{len(out) + 1}'] = x
        return out

    @staticmethod
    def _gate(d: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """``cat[D, (1 − σ(D)) ⊙ C]``."""
        return torch.cat([d, torch.sub(1, torch.sigmoid(d)) * c], 1)

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Return ``dict(hm, cls, cstency)`` (raw outputs)."""
        ep = self.endpoints(x)
        x1 = self._dropout(ep['reduction_6'])
        x2 = self._dropout(ep['reduction_5'])
        x3 = self._dropout(ep['reduction_4'])
        x4 = self._dropout(ep['reduction_3'])
        out = self._gate(self.deconv_1(x1), x2)
        out = self._gate(self.deconv_2(out), x3)
        out = self._gate(self.deconv_3(out), x4)
        out = self.relu(self.deconv_4(out))
        return dict(
            hm=self.hm(out), cls=self.cls(out), cstency=self.cstency(out))


def official_losses(
    outputs: Dict[str, torch.Tensor],
    heatmap: torch.Tensor,
    consistency: torch.Tensor,
    labels: torch.Tensor,
    weights: Sequence[float] = (100., 100., 1.)
) -> Dict[str, torch.Tensor]:
    """The official loss computation, from the reference's formulas.

    Focal loss on ``clamp(σ(hm), 1e-4, 1 − 1e-4)`` (positive term ×0.72,
    normalised by the batch's positives), BCE on σ(cls), and BCE on
    ``σ(⟨f_a, f_j⟩/16)`` with the anchor at the first argmax.

    Args:
        outputs (dict): ``hm``, ``cls``, ``cstency`` from the model.
        heatmap (torch.Tensor): (N, 1, h, w) targets.
        consistency (torch.Tensor): (N, 1, h, w) targets.
        labels (torch.Tensor): (N, ) labels in {0, 1}.
        weights (Sequence[float]): λ of hm, cstency, cls.

    Returns:
        dict[str, torch.Tensor]: ``loss_hm``, ``loss_cstency``,
        ``loss_cls``.
    """
    hm_w, cst_w, cls_w = weights
    pred = torch.clamp(torch.sigmoid(outputs['hm']), 1e-4, 1 - 1e-4)
    pos = heatmap.eq(1).to(pred.dtype)
    neg = heatmap.lt(1).to(pred.dtype)
    pos_loss = (torch.log(pred) * torch.pow(1 - pred, 2) * pos * 0.72).sum()
    neg_loss = (torch.log(1 - pred) * torch.pow(pred, 2) *
                torch.pow(1 - heatmap, 4) * neg).sum()
    num_pos = pos.sum()
    if num_pos == 0:
        loss_hm = -neg_loss
    else:
        loss_hm = -(pos_loss + neg_loss) / num_pos

    cls_prob = torch.sigmoid(outputs['cls']).reshape(-1)
    loss_cls = F.binary_cross_entropy(cls_prob, labels.to(cls_prob.dtype))

    emb = outputs['cstency']
    n, c, h, w = emb.shape
    flat = emb.view(n, c, h * w)
    sims = []
    for b in range(n):
        a = int(torch.argmax(consistency[b].reshape(-1)))
        sims.append(
            torch.sigmoid(torch.matmul(flat[b, :, a], flat[b]) /
                          (c**0.5)).view(1, h, w))
    sim = torch.stack(sims)
    loss_cst = F.binary_cross_entropy(sim, consistency.to(sim.dtype))
    return dict(
        loss_hm=hm_w * loss_hm,
        loss_cstency=cst_w * loss_cst,
        loss_cls=cls_w * loss_cls)
