# Copyright (c) laanet contributors. All rights reserved.
"""Any timm model as a backbone of laanet's classifiers."""
from typing import Optional, Tuple, Union

import torch
from mmengine.model import BaseModule

from laanet.registry import MODELS


@MODELS.register_module()
class TIMMBackbone(BaseModule):
    """A timm model's feature extractor (``forward_features``).

    As mmpretrain's ``TIMMBackbone``: the model is created by name with
    ``timm.create_model`` and without its classifier, and returns a
    one-element tuple with the last feature map (N, C, h, w), ready for
    ``GlobalAveragePooling`` and a ``LinearClsHead``. Nothing is
    downloaded: ``pretrained=True`` is refused; weights come from a local
    ``checkpoint_path`` (timm's own loader, classifier keys dropped) or
    from ``init_cfg=dict(type='Pretrained', checkpoint=PATH)``.

    Args:
        model_name (str): A timm model, e.g. ``'legacy_xception'`` or
            ``'tf_efficientnet_b4'``.
        checkpoint_path (str): Local weights file for timm to load.
            Defaults to ``''`` (random weights).
        in_channels (int): Input channels. Defaults to 3.
        init_cfg (dict | list[dict], optional): Defaults to None.
        **kwargs: Passed to ``timm.create_model`` (e.g.
            ``drop_path_rate``).
    """

    def __init__(self,
                 model_name: str,
                 checkpoint_path: str = '',
                 in_channels: int = 3,
                 init_cfg: Optional[Union[dict, list]] = None,
                 **kwargs) -> None:
        super().__init__(init_cfg=init_cfg)
        import timm
        if kwargs.pop('pretrained', False):
            raise ValueError('TIMMBackbone never downloads weights: give a '
                             'local checkpoint_path instead of '
                             'pretrained=True.')
        if not timm.is_model(model_name):
            raise ValueError(f'timm has no model {model_name!r}.')
        self.model_name = model_name
        self.timm_model = timm.create_model(
            model_name,
            pretrained=False,
            num_classes=0,
            in_chans=in_channels,
            **kwargs)
        if checkpoint_path:
            self._load_local(checkpoint_path)
        self.out_channels = (self.timm_model.num_features, )

    def _load_local(self, path: str) -> None:
        """Load a local timm weights file, its classifier dropped.

        Raises:
            RuntimeError: Naming the file and the missing / unexpected keys.
        """
        state = torch.load(path, map_location='cpu', weights_only=True)
        for key in ('state_dict', 'model'):
            if isinstance(state, dict) and isinstance(state.get(key), dict):
                state = state[key]
        classifier = self.timm_model.pretrained_cfg.get('classifier', '')
        if classifier:
            state = {
                k: v
                for k, v in state.items()
                if not k.startswith(f'{classifier}.')
            }
        try:
            self.timm_model.load_state_dict(state, strict=True)
        except RuntimeError as err:
            raise RuntimeError(
                f'{path} does not fit the timm model {self.model_name!r}: '
                f'{err}') from err

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Return ``(last feature map, )``."""
        return (self.timm_model.forward_features(x), )
