# Copyright (c) laanet contributors. All rights reserved.
"""The official FakeSTormer network as the reference of
``benchmark_model.py``, run through the reference harness.

The official code is not a dependency (academic licence) and nothing of it
is copied here: ``--reference-harness PATH`` names a harness module outside
the project that builds the official model from its own extracted source
tree (``shared/reference/fakestormer/official_fst.py`` of the laanet
development notes, or a copy of it that imports only the model modules;
it needs ``einops`` and the official tree). The module must provide
``build_official_model(variant, seed, init)`` (the official
``TopDownDetector`` in eval mode, float32) and ``build_official_loss(
variant)`` (``CombinedMSELoss``).
"""
import contextlib
import importlib.util
import io
import os.path as osp
from typing import Callable, List

import torch


def load_harness(path: str):
    """Import the harness module at ``path``."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such harness module (see '
                                '--reference-harness)')
    spec = importlib.util.spec_from_file_location('fakestormer_harness',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference_step(harness: str, inputs: torch.Tensor, samples: List,
                   mode: str) -> Callable[[], None]:
    """A closure running one official forward (no grad) or training pass
    (forward, the official loss with the samples' targets, backward).

    The closure's ``ref`` attribute is the official model (float32), whose
    state dict laanet's model loads (the official-checkpoint conversion).
    """
    module = load_harness(harness)
    with contextlib.redirect_stdout(io.StringIO()):
        ref = module.build_official_model('c23', seed=0, init='none')
        crit = module.build_official_loss('c23')
    x = inputs.float().contiguous()
    device = x.device  # the official model runs where laanet's inputs are
    ref.to(device)
    heatmap = torch.stack([s.gt_fields.heatmap
                           for s in samples]).unsqueeze(1).to(device)
    mask = torch.stack([s.gt_fields.heatmap_mask
                        for s in samples]).unsqueeze(1).long().to(device)
    labels = torch.cat([s.gt_label for s in samples]).float()[:, None].to(
        device)
    frame_targets = torch.stack([s.gt_frame_scores
                                 for s in samples]).double().to(device)
    ref.train(mode != 'forward')

    def step():
        with contextlib.redirect_stdout(io.StringIO()):
            if mode == 'forward':
                with torch.no_grad():
                    ref(x)
                return
            ref.zero_grad(set_to_none=True)
            out = ref(x)[0]
            losses = crit(
                out['hm'],
                heatmap,
                out['cls'],
                labels,
                temp_loc_preds=out['temp_loc'],
                temp_loc_gts=frame_targets,
                hm_mask=mask)
            (losses['hm'] + losses['cls'] + losses['temp_loc']).backward()

    step.ref = ref
    return step
