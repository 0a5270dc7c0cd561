# Copyright (c) laanet contributors. All rights reserved.
"""Class-activation maps (Grad-CAM and kin) of a detector's P(fake).

:class:`CAMExplainer` explains the real/fake score of any laanet detector
(:class:`~laanet.models.DeepfakeClassifier` with an EfficientNet or a timm
backbone, :class:`~laanet.models.LAANet` beside its own heatmap) with the
gradient-based methods of torchcam (:data:`CAM_METHODS`) on a target layer
named by the config's ``cam_cfg`` (:func:`cam_settings`). The score
explained is the logit of P(fake) (``cls_head.binary_logit``), merged over
flip TTA exactly as ``predict`` merges it.

Gradients: inference runs under ``torch.no_grad``; the CAM pass is a second
forward of the same network inputs under ``torch.enable_grad`` (the input
made to require grad, so the graph reaches the target layer whatever the
parameters' ``requires_grad``), with torchcam's hooks installed for that
pass only. torchcam takes the gradient with ``torch.autograd.grad``, so no
parameter's ``.grad`` is touched and nothing leaks into the next batch.
"""
import difflib
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import print_log
from torch import nn

from laanet.models.detectors.base_deepfake_detector import merge_flip
from laanet.structures import model_layout

#: The torchcam methods offered: those that need one forward and one
#: backward pass (the score-based ones re-run the model on masked inputs).
CAM_METHODS = ('GradCAM', 'GradCAMpp', 'XGradCAM', 'LayerCAM')

#: The CAM overlay of face ``k`` of a frame is written next to its heatmap
#: overlay, ``frame<index>_face<k>`` + this suffix.
CAM_SUFFIX = '_cam.jpg'


def cam_settings(cfg: Config, cam: Union[bool, dict, None]) -> Optional[dict]:
    """The CAM settings of inference: ``method`` and ``target_layer``.

    The config's ``cam_cfg`` (the model configs of laanet set one per
    method: SBI's EfficientNet ``backbone.bn2``, LAA-Net's classification
    stem's output ``cls_head.relu``), updated by ``cam`` when it is a
    dict. Without
    a ``target_layer`` the last spatial feature map of the backbone is
    used (:meth:`CAMExplainer.default_layer`), e.g. for a timm backbone.

    Args:
        cfg (Config): The model's config.
        cam (bool | dict, optional): None or False: no CAM; True: the
            config's; a dict: the config's updated by it.

    Returns:
        dict | None: ``method`` (default ``'GradCAM'``) and
        ``target_layer`` (None: the default layer); None without CAM.

    Raises:
        ValueError: For keys other than ``method`` and ``target_layer``.
    """
    if cam is None or cam is False:
        return None
    settings = dict(method='GradCAM', target_layer=None)
    for source, name in ((cfg.get('cam_cfg', None) or {}, 'cam_cfg'),
                         (cam if isinstance(cam, dict) else {}, 'cam')):
        unknown = set(source) - set(settings)
        if unknown:
            raise ValueError(f'{name} of {cfg.filename or "the config"}: '
                             f'unknown keys {sorted(unknown)}; use method '
                             'and target_layer')
        settings.update(source)
    return settings


class CAMExplainer:
    """Class-activation maps of P(fake), per face, through torchcam.

    Args:
        model (nn.Module): A laanet detector in eval mode (the PyTorch
            backend: an ONNX graph has no gradients).
        method (str): One of :data:`CAM_METHODS`. Defaults to
            ``'GradCAM'``.
        target_layer (str, optional): The module whose output map is
            explained, by its name in ``model.named_modules()`` (e.g.
            ``'backbone.bn2'``). None: :meth:`default_layer` of the first
            batch. Defaults to None.

    Raises:
        TypeError: For a model that is not a PyTorch detector.
        ValueError: For an unknown method or layer (the message names it
            and the closest layer names), or a clip model.
    """

    def __init__(self,
                 model: nn.Module,
                 method: str = 'GradCAM',
                 target_layer: Optional[str] = None) -> None:
        if not isinstance(model, nn.Module) or not hasattr(model, 'heads'):
            raise TypeError('class-activation maps need the PyTorch '
                            'backend (gradients); got '
                            f'{type(model).__name__}')
        if method not in CAM_METHODS:
            raise ValueError(f'cam_cfg.method {method!r} is not one of '
                             f'{", ".join(CAM_METHODS)}')
        if model_layout(model) != 'image':
            raise ValueError('class-activation maps explain image models; '
                             'this model takes clips')
        if target_layer is not None:
            self.check_layer(model, target_layer)
        self.model, self.method, self.target_layer = model, method, \
            target_layer

    @staticmethod
    def check_layer(model: nn.Module, name: str) -> None:
        """Raise a ValueError naming ``name`` unless the model has it."""
        names = [n for n, _ in model.named_modules() if n]
        if name not in names:
            close = difflib.get_close_matches(name, names, n=5)
            hint = f'; closest: {", ".join(close)}' if close else ''
            raise ValueError(
                f'cam_cfg.target_layer {name!r} is not a layer of '
                f'{type(model).__name__}{hint} (see model.named_modules())')

    @staticmethod
    def default_layer(model: nn.Module, inputs: torch.Tensor) -> str:
        """The last module of the backbone whose output is a spatial map.

        Args:
            model (nn.Module): The detector.
            inputs (torch.Tensor): A normalised batch (one forward of the
                backbone, without gradients, records the output shapes).

        Returns:
            str: Its name in ``model.named_modules()``.

        Raises:
            ValueError: If no backbone module gives an (N, C, h, w) map
                larger than 1×1.
        """
        found: List[str] = []
        handles = [
            module.register_forward_hook(
                lambda mod, args, out, name=name: found.append(name)
                if isinstance(out, torch.Tensor) and out.dim() == 4 and
                out.shape[-2:].numel() > 1 else None)
            for name, module in model.backbone.named_modules() if name
        ]
        try:
            with torch.no_grad():
                model.backbone(inputs[:1])
        finally:
            for handle in handles:
                handle.remove()
        if not found:
            raise ValueError(f'{type(model.backbone).__name__} has no module '
                             'with a spatial output; set '
                             'cam_cfg.target_layer')
        return f'backbone.{found[-1]}'

    def describe(self) -> dict:
        """What the maps explain, for result files: ``method``,
        ``target_layer``, ``library`` (torchcam and its version) and
        ``score`` (the logit of P(fake))."""
        import torchcam
        return dict(
            method=self.method,
            target_layer=self.target_layer,
            library=f'torchcam {torchcam.__version__}',
            score='logit of P(fake)')

    def explain(self, inputs: torch.Tensor,
                flip_test: bool = False) -> Tuple[torch.Tensor, torch.Tensor]:
        """CAMs and P(fake) of a normalised batch.

        With ``flip_test`` the image and its horizontal flip go through the
        network in one batch; the score explained is the mean of the two
        logits (as :meth:`BaseDeepfakeDetector.predict_outputs` merges
        ``cls``), so each view's map is half its own, and the flipped
        view's map is flipped back and added: the heatmaps' ``mean_unflip``
        rule. Each face's map is then scaled to [0, 1] (min-max, as
        torchcam normalises); a map without positive evidence stays 0.

        Args:
            inputs (torch.Tensor): (N, 3, H, W) normalised images.
            flip_test (bool): Flip TTA, as the predict settings say.
                Defaults to False.

        Returns:
            tuple[torch.Tensor, torch.Tensor]: (N, h, w) maps in [0, 1] at
            the target layer's resolution, and the (N, ) P(fake) of the
            pass, equal to ``predict``'s.

        Raises:
            RuntimeError: Naming the layer, if the score does not depend
                on it (e.g. a layer of LAA-Net's heatmap head, which the
                score's forward does not run).
            TypeError: Naming the layer, if its output is not a map.
        """
        from torchcam import methods
        if self.target_layer is None:
            self.target_layer = self.default_layer(self.model, inputs)
            print_log(f'CAMExplainer: no cam_cfg.target_layer, using '
                      f'{self.target_layer}', logger='current')
        n = inputs.shape[0]
        views = inputs.detach()
        if flip_test:
            views = torch.cat([views, views.flip(-1)])
        layer = dict(self.model.named_modules())[self.target_layer]
        check = layer.register_forward_hook(self._check_map)
        try:
            with torch.enable_grad(), getattr(methods, self.method)(
                    self.model, target_layer=self.target_layer) as extractor:
                views.requires_grad_(True)
                head = self.model.cls_head
                self._hooked = False
                logit = head.binary_logit(
                    self.model._forward(views, ['cls'])['cls'])
                if not self._hooked:
                    raise RuntimeError(
                        f'cam_cfg.target_layer {self.target_layer!r} does '
                        'not run when the real/fake score is computed; '
                        'pick a layer of the backbone or the '
                        'classification head')
                try:
                    (cams, ) = extractor(
                        scores=logit, targets=_identity, normalized=False)
                except RuntimeError as err:
                    raise RuntimeError(
                        f'cam_cfg.target_layer {self.target_layer!r}: the '
                        'real/fake score does not depend on it; pick a '
                        'layer of the backbone or the classification '
                        f'head ({err})') from err
        finally:
            check.remove()
        logit = logit.detach().float()
        cams = cams.detach().float()
        if flip_test:
            logit = merge_flip('mean', logit[:n], logit[n:])
            cams = merge_flip('mean_unflip', cams[:n], cams[n:])
        flat = cams.flatten(1)
        low = flat.amin(1)[:, None, None]
        span = (flat.amax(1)[:, None, None] - low).clamp_min(1e-12)
        cams = torch.where(span > 1e-12, (cams - low) / span,
                           torch.zeros_like(cams))
        return cams, torch.sigmoid(logit)

    def _check_map(self, module: nn.Module, args, output) -> None:
        """Forward hook: the target layer must give an (N, C, h, w) map."""
        self._hooked = True
        if not isinstance(output, torch.Tensor) or output.dim() != 4:
            kind = (f'a {output.dim()}-d tensor' if isinstance(
                output, torch.Tensor) else type(output).__name__)
            raise TypeError(
                f'cam_cfg.target_layer {self.target_layer!r} gives {kind}, '
                'not an (N, C, h, w) map; pick one of its sub-layers')

    def explain_samples(self, samples: Sequence, flip_test: bool) -> None:
        """Add ``cam`` ((h, w) tensor in [0, 1]) and the metainfo
        ``cam_method`` to predicted faces.

        Args:
            samples (Sequence[DeepfakeDataSample]): Predicted faces with
                ``net_input`` (:func:`.inference.predict_samples`), one
                batch.
            flip_test (bool): Flip TTA of the prediction.
        """
        if not samples:
            return
        data = self.model.data_preprocessor(
            dict(inputs=[s.net_input for s in samples],
                 data_samples=list(samples)), False)
        cams, _ = self.explain(data['inputs'], flip_test)
        for sample, cam in zip(samples, cams.cpu()):
            sample.set_data(dict(cam=cam))
            sample.set_metainfo(dict(cam_method=self.method))


def _identity(score: torch.Tensor) -> torch.Tensor:
    """torchcam target: a face's logit of P(fake) as it is."""
    return score


def build_cam_explainer(model, cfg: Config, cam: Union[bool, dict, None],
                        compile: Union[bool, dict] = False
                        ) -> Optional[CAMExplainer]:
    """The inferencer's explainer, or None when no CAM is asked.

    Args:
        model (nn.Module | OnnxBackend): The inference model.
        cfg (Config): Its config (``cam_cfg``, :func:`cam_settings`).
        cam (bool | dict, optional): See :func:`cam_settings`.
        compile (bool | dict): The inferencer's ``compile``: CAM hooks
            need the eager model, so both together are refused.

    Returns:
        CAMExplainer | None: The explainer.

    Raises:
        ValueError: For CAM with ``compile``, or a bad ``cam_cfg`` (the
            message names the config file).
        TypeError: For a model without gradients (ONNX).
    """
    settings = cam_settings(cfg, cam)
    if settings is None:
        return None
    if compile:
        raise ValueError('class-activation maps hook layers of the eager '
                         'model: use them without compile')
    try:
        return CAMExplainer(model, **settings)
    except (TypeError, ValueError) as err:
        raise type(err)(f'{cfg.filename or "the config"}: {err}') from err


def face_cam(sample) -> Optional[np.ndarray]:
    """The CAM of a predicted face, if it was explained.

    Args:
        sample (DeepfakeDataSample): A predicted face.

    Returns:
        np.ndarray | None: (h, w) float32 in [0, 1].
    """
    if 'cam' not in sample:
        return None
    return sample.cam.float().cpu().numpy()


def explanation_entry(explainer: CAMExplainer, files: Sequence[str],
                      out_dir: Optional[str]) -> Dict:
    """The ``explanation`` of a result: :meth:`CAMExplainer.describe` and
    ``overlays``, the CAM overlays written (relative to ``out_dir``)."""
    entry = explainer.describe()
    entry['overlays'] = [
        osp.relpath(f, out_dir) if out_dir else f for f in files
        if f.endswith(CAM_SUFFIX)
    ]
    return entry
