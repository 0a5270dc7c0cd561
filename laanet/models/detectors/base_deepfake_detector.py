# Copyright (c) laanet contributors. All rights reserved.
"""What every laanet detector shares: the detector contract."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModel
from mmengine.utils import apply_to
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample

SampleList = List[DeepfakeDataSample]


class BaseDeepfakeDetector(BaseModel):
    """Base class of the detectors (:class:`LAANet`,
    :class:`DeepfakeClassifier`): the contract every method follows, so
    that metrics, inference, the ONNX export, reports and the SAM engine
    treat every method alike (``docs/en/advanced_guides/add_a_method.md``).

    A subclass builds its parts, lists its outputs in
    :attr:`output_names` (output ``x`` is computed by the head attribute
    ``x_head``; a head set to None is switched off) and implements
    :meth:`extract_feat`. This class owns the rest:

    - the default data preprocessor (``DeepfakeDataPreprocessor``, whose
      ``layout`` declares image or clip batches);
    - :meth:`forward`'s modes: ``'tensor'`` (:meth:`_forward`, a dict of
      raw head outputs by output name, holding at least ``cls``, the
      real/fake logits), ``'loss'`` (:meth:`loss`, every head's losses)
      and ``'predict'`` (:meth:`predict`, data samples with ``pred_logit``,
      ``pred_score`` = P(fake) and what the other heads add);
    - flip test-time augmentation, once for every head and for the ONNX
      export (:meth:`predict_outputs`, ``test_cfg.flip_test``): each
      head's activated outputs of the image and of its horizontal flip are
      merged by the head's ``flip_merge`` rule;
    - :meth:`train_step`, which runs SAM's two passes when the optimizer is
      :class:`~laanet.engine.optimizers.SAM`.

    ``cls_head`` is a :class:`~laanet.models.heads.BaseBinaryClsHead`:
    its ``score_from_logits`` is the one logit → P(fake) rule.

    Args:
        data_preprocessor (dict | nn.Module, optional): Defaults to
            :attr:`default_data_preprocessor`.
        train_cfg (dict, optional): Passed to the heads' ``loss``.
        test_cfg (dict, optional): Updates ``default_test_cfg``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    #: ``test_cfg`` entries a config does not set.
    default_test_cfg: dict = dict(flip_test=False)
    #: The data preprocessor of a config that does not set one.
    default_data_preprocessor: dict = dict(type='DeepfakeDataPreprocessor')
    #: The outputs in forward and loss order; output ``x`` comes from the
    #: head attribute ``x_head``.
    output_names: Tuple[str, ...] = ('cls', )

    def __init__(self,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = self.default_data_preprocessor
        if isinstance(data_preprocessor, dict):
            data_preprocessor = dict(data_preprocessor)
            data_preprocessor.setdefault('type', 'DeepfakeDataPreprocessor')
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.test_cfg = dict(self.default_test_cfg)
        self.test_cfg.update(test_cfg or {})
        self.train_cfg = dict(train_cfg or {})

    @staticmethod
    def _build(cfg) -> Optional[nn.Module]:
        """Build a part from a config dict (None stays None)."""
        if cfg is None or isinstance(cfg, nn.Module):
            return cfg
        return MODELS.build(cfg)

    def train_step(self, data, optim_wrapper):
        """One training step; SAM's two passes when the optimizer is SAM.

        Args:
            data (dict | tuple | list): A batch from the dataloader.
            optim_wrapper (OptimWrapper): The optimizer wrapper.

        Returns:
            dict[str, torch.Tensor]: The log variables.
        """
        # Imported here, not at the top: laanet.models stays importable
        # without the training machinery (models -> engine is the one
        # arrow into engine).
        from laanet.engine.optimizers.sam_step import (is_sam_optim_wrapper,
                                                       sam_train_step)
        if is_sam_optim_wrapper(optim_wrapper):
            return sam_train_step(self, data, optim_wrapper)
        return super().train_step(data, optim_wrapper)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'):
        """Dispatch to ``tensor``, ``loss`` or ``predict``.

        Args:
            inputs (torch.Tensor): Normalised inputs (N, 3, H, W), or
                (N, 3, T, H, W) for clips.
            data_samples (list[DeepfakeDataSample], optional): Targets
                (``loss``) or samples to fill (``predict``).
            mode (str): ``'tensor'``, ``'loss'`` or ``'predict'``.

        Returns:
            dict | list[DeepfakeDataSample]: Raw outputs, losses or
            predicted samples.
        """
        if mode == 'tensor':
            return self._forward(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}"; use "tensor", "loss" or '
                           '"predict".')

    def heads(self) -> List[Tuple[str, nn.Module]]:
        """The enabled heads with their output names, in
        :attr:`output_names` order."""
        heads = [(name, getattr(self, f'{name}_head', None))
                 for name in self.output_names]
        return [(name, head) for name, head in heads if head is not None]

    def extract_feat(self, inputs: torch.Tensor):
        """The features the heads take (subclasses implement it).

        Args:
            inputs (torch.Tensor): Normalised inputs of the declared layout.
        """
        raise NotImplementedError(
            f'{type(self).__name__} must implement extract_feat.')

    def _forward(self,
                 inputs: torch.Tensor,
                 names: Optional[Sequence[str]] = None
                 ) -> Dict[str, torch.Tensor]:
        """Raw head outputs by output name (``mode='tensor'``).

        Args:
            inputs (torch.Tensor): Normalised inputs.
            names (Sequence[str], optional): Compute only these outputs.
                Defaults to every enabled head.

        Returns:
            dict[str, torch.Tensor]: The outputs, in :attr:`output_names`
            order.
        """
        feats = self.extract_feat(inputs)
        heads = [(name, head) for name, head in self.heads()
                 if names is None or name in names]
        device_type = inputs.device.type
        if not torch.is_autocast_enabled(device_type):
            return {name: head(feats) for name, head in heads}
        # under autocast (``--amp`` inference) the cheap heads run in
        # float32 on float32 features: the scores are not rounded to
        # bfloat16 / float16 on their way out
        feats = apply_to(
            feats, lambda x: torch.is_tensor(x) and x.is_floating_point(),
            lambda x: x.float())
        with torch.autocast(device_type, enabled=False):
            return {name: head(feats) for name, head in heads}

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Compute the losses of all heads on one feature extraction.

        Args:
            inputs (torch.Tensor): Normalised inputs.
            data_samples (list[DeepfakeDataSample]): With the targets the
                heads read (``gt_label``, ``gt_fields``).

        Returns:
            dict[str, torch.Tensor]: The merged loss dict, in head order.
        """
        self.check_loss_samples(inputs, data_samples)
        feats = self.extract_feat(inputs)
        losses = dict()
        for _, head in self.heads():
            head_losses = head.loss(feats, data_samples, self.train_cfg)
            duplicated = set(head_losses) & set(losses)
            assert not duplicated, f'Duplicated loss keys {duplicated}.'
            losses.update(head_losses)
        return losses

    def predicted_outputs(self, test_cfg: dict) -> List[str]:
        """The outputs a prediction with ``test_cfg`` makes: the heads
        without a ``predict_flag`` and those whose flag is set."""
        return [
            name for name, head in self.heads()
            if head.predict_flag is None or test_cfg.get(head.predict_flag)
        ]

    def predict_outputs(self,
                        inputs: torch.Tensor,
                        flip_test: bool = False,
                        names: Optional[Sequence[str]] = None
                        ) -> Dict[str, torch.Tensor]:
        """Activated head outputs, merged over flip TTA.

        The one implementation of flip test-time augmentation, used by
        :meth:`predict` and by the exported graph
        (:class:`DeployModel`): the image and its
        horizontal flip (the last axis, W, for images and clips alike) go
        through the network, and each head's activated outputs
        (``head.activate``) are merged by its ``flip_merge`` rule:
        ``'mean'`` (logits), ``'mean_unflip'`` (maps: the flipped view's
        map is flipped back first) or ``'first'`` (the image's only).
        The outputs are float32 also under autocast (``--amp``: the heads
        run in float32, see :meth:`_forward`).

        Args:
            inputs (torch.Tensor): Normalised inputs.
            flip_test (bool): Run flip TTA. Defaults to False.
            names (Sequence[str], optional): The outputs wanted. Defaults
                to every enabled head.

        Returns:
            dict[str, torch.Tensor]: The outputs by name.
        """
        heads = dict(self.heads())
        names = list(heads) if names is None else list(names)
        outputs = {
            name: heads[name].activate(out)
            for name, out in self._forward(inputs, names).items()
        }
        flipped = [n for n in names if heads[n].flip_merge != 'first']
        if not flip_test or not flipped:
            return outputs
        for name, out in self._forward(inputs.flip(-1), flipped).items():
            outputs[name] = merge_flip(heads[name].flip_merge, outputs[name],
                                       heads[name].activate(out))
        return outputs

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                test_cfg: Optional[dict] = None) -> SampleList:
        """Predict P(fake) and what ``test_cfg`` asks the other heads for.

        Args:
            inputs (torch.Tensor): Normalised inputs.
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.
            test_cfg (dict, optional): Replaces ``self.test_cfg`` for this
                call (e.g. inference asking for heatmaps); the model's own
                ``test_cfg`` is not modified. Defaults to None.

        Returns:
            list[DeepfakeDataSample]: The filled samples.
        """
        test_cfg = self.test_cfg if test_cfg is None else test_cfg
        if data_samples is None:
            data_samples = [DeepfakeDataSample() for _ in range(len(inputs))]
        names = self.predicted_outputs(test_cfg)
        outputs = self.predict_outputs(inputs,
                                       bool(test_cfg.get('flip_test', False)),
                                       names)
        heads = dict(self.heads())
        for name in names:
            data_samples = heads[name].predict_by_feat(
                outputs[name], data_samples)
        return data_samples

    @staticmethod
    def check_loss_samples(inputs: torch.Tensor,
                           data_samples: Optional[SampleList]) -> None:
        """Raise unless there is one data sample per image."""
        if data_samples is None or len(data_samples) != inputs.shape[0]:
            raise ValueError('loss mode needs one data sample per image.')


def merge_flip(rule: str, output: torch.Tensor,
               flipped: torch.Tensor) -> torch.Tensor:
    """Merge an output of an image with that of its horizontal flip.

    Args:
        rule (str): ``'mean'``, ``'mean_unflip'`` or ``'first'`` (see
            :meth:`BaseDeepfakeDetector.predict_outputs`).
        output (torch.Tensor): The image's activated output.
        flipped (torch.Tensor): The flipped image's.

    Returns:
        torch.Tensor: The merged output.
    """
    if rule == 'mean':
        return (output + flipped) / 2
    if rule == 'mean_unflip':
        return (output + flipped.flip(-1)) / 2
    if rule == 'first':
        return output
    raise ValueError(f'Unknown flip_merge rule {rule!r}; use "mean", '
                     '"mean_unflip" or "first".')
