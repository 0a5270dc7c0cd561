# Copyright (c) laanet contributors. All rights reserved.
"""A binary real/fake image classifier (SBI and the classifier baselines)."""
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import print_log
from torch import nn

from laanet.registry import MODELS
from .base_deepfake_detector import BaseDeepfakeDetector, SampleList
from .sbi_ckpt_convert import (check_state_dict_matches,
                               convert_sbi_state_dict, is_official_sbi,
                               unwrap_sbi_checkpoint)


@MODELS.register_module()
class DeepfakeClassifier(BaseDeepfakeDetector):
    """Backbone → global pooling → dropout → linear: P(fake) of a face.

    The detector of SBI (Self-Blended Images, Shiohara and Yamasaki, CVPR
    2022: an EfficientNet-B4 with a 2-logit softmax head trained with
    cross entropy) and of the classifier baselines (any timm model through
    :class:`~laanet.models.backbones.TIMMBackbone`, a 1-logit sigmoid head
    with binary cross entropy). Both heads give the same outputs
    downstream (:class:`~laanet.models.heads.LinearClsHead`).

    Modes of :meth:`forward`: ``'tensor'`` returns ``dict(cls=logits)``
    (N, num_classes); ``'loss'`` ``loss_cls`` and ``acc_cls``;
    ``'predict'`` data samples with ``pred_logit``, ``pred_score`` (P(fake))
    and ``pred_label``.

    An official SBI file (``{'model': {'net._conv_stem.weight', ...,
    'net._fc.weight'}, 'optimizer': ..., 'epoch': ...}``) loaded into this
    model (``load_from``, ``init_model``, ``load_checkpoint``) is
    recognised and converted on the fly; one that does not fit (another
    arch, a partial file) raises an error naming the missing, unexpected
    and mis-shaped keys.

    Args:
        backbone (dict): Backbone config; it returns a tuple of maps.
        neck (dict, optional): Defaults to
            ``dict(type='GlobalAveragePooling')``.
        cls_head (dict): :class:`LinearClsHead` config.
        train_cfg (dict, optional): Passed to the head's ``loss``.
        test_cfg (dict, optional): ``flip_test`` (average the logits of
            the image and its flip; SBI: off). Defaults to
            ``dict(flip_test=False)``.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='DeepfakeDataPreprocessor')`` (SBI's configs set
            mean 0, std 255: inputs in [0, 1]).
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 neck: Optional[dict] = dict(type='GlobalAveragePooling'),
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.train_cfg = dict(train_cfg or {})
        self.backbone = self._build(backbone)
        self.neck = self._build(neck)
        self.cls_head = self._build(cls_head)
        self._register_load_state_dict_pre_hook(
            self._convert_sbi_keys, with_module=False)

    def _convert_sbi_keys(self, state_dict: dict, prefix: str,
                          *args) -> None:
        """Load-state-dict pre-hook: convert an official SBI file."""
        local = {
            k[len(prefix):]: k
            for k in state_dict if k.startswith(prefix)
        }
        whole = {name: state_dict[key] for name, key in local.items()}
        if not is_official_sbi(whole):
            return
        for key in local.values():
            state_dict.pop(key)
        net = unwrap_sbi_checkpoint(whole)
        depths = [len(s) for s in self.backbone.blocks] if hasattr(
            self.backbone, 'blocks') else None
        try:
            converted = convert_sbi_state_dict(net, stage_depths=depths)
            check_state_dict_matches(converted, self.state_dict())
        except ValueError as err:
            raise ValueError('An official SBI checkpoint does not fit this '
                             f'DeepfakeClassifier:\n{err}') from err
        for name, value in converted.items():
            state_dict[prefix + name] = value
        print_log(
            f'DeepfakeClassifier: recognised an official SBI checkpoint '
            f'({len(net)} keys) and converted it on the fly.',
            logger='current')

    def extract_feat(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Pooled features of the backbone's maps.

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).

        Returns:
            tuple[torch.Tensor]: (N, C) features (with the default neck).
        """
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats

    def _forward(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Raw logits ``cls`` (N, num_classes)."""
        return dict(cls=self.cls_head(self.extract_feat(inputs)))

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_cls`` (and ``acc_cls``, for logging).

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).
            data_samples (list[DeepfakeDataSample]): With ``gt_label``.

        Returns:
            dict[str, torch.Tensor]: The losses.
        """
        self.check_loss_samples(inputs, data_samples)
        return self.cls_head.loss(
            self.extract_feat(inputs), data_samples, self.train_cfg)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                test_cfg: Optional[dict] = None) -> SampleList:
        """Predict P(fake).

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.
            test_cfg (dict, optional): Replaces ``self.test_cfg`` for this
                call. Defaults to None.

        Returns:
            list[DeepfakeDataSample]: The filled samples.
        """
        test_cfg = self.test_cfg if test_cfg is None else test_cfg
        feats = self.extract_feat(inputs)
        if test_cfg.get('flip_test', False):
            feats = [feats, self.extract_feat(inputs.flip(-1))]
        return self.cls_head.predict(feats, data_samples, test_cfg)
