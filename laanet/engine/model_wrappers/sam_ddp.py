# Copyright (c) laanet contributors. All rights reserved.
"""A DDP wrapper that runs SAM's two passes through DDP."""
from typing import Dict, Union

import torch
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import OptimWrapper

from laanet.registry import MODEL_WRAPPERS
from ..optimizers.sam_step import is_sam_optim_wrapper, sam_train_step


@MODEL_WRAPPERS.register_module()
class SAMDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` that knows SAM, and runs on CPU.

    ``MMDistributedDataParallel.train_step`` does not call the model's own
    ``train_step``, so a SAM step written there would be skipped under DDP.
    This wrapper runs :func:`laanet.engine.sam_train_step` with itself as
    the model, so both forward passes go through DDP and the gradients are
    all-reduced (calling ``self.module`` directly would leave them
    unsynchronised). With any other optimizer it behaves exactly like
    ``MMDistributedDataParallel``.

    Without CUDA the ``device_ids`` that MMEngine's runner passes are
    dropped, so ``launcher='pytorch'`` also works on CPU with the gloo
    backend.

    Config::

        model_wrapper_cfg = dict(
            # the runner looks the type up in MMEngine's root registry,
            # so the ``laanet.`` scope prefix is required
            type='laanet.SAMDistributedDataParallel',
            find_unused_parameters=True)  # needed by FreezeBackboneHook

    Args:
        module (nn.Module): The model to wrap.
        sync_first_pass (bool): All-reduce the first SAM pass's gradient
            (the ascent direction of the global batch). False computes it
            per rank under ``no_sync``. Defaults to True.
        detect_anomalous_params (bool): See ``MMDistributedDataParallel``.
            Defaults to False.
        **kwargs: Arguments of ``torch.nn.parallel.DistributedDataParallel``.
    """

    def __init__(self,
                 module,
                 sync_first_pass: bool = True,
                 detect_anomalous_params: bool = False,
                 **kwargs) -> None:
        if not torch.cuda.is_available() or next(
                module.parameters(), torch.empty(0)).device.type == 'cpu':
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        super().__init__(
            module=module,
            detect_anomalous_params=detect_anomalous_params,
            **kwargs)
        self.sync_first_pass = sync_first_pass

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]:
        """Run the SAM step for a SAM optimizer, the usual step otherwise.

        Args:
            data (dict | tuple | list): A batch from the dataloader.
            optim_wrapper (OptimWrapper): The optimizer wrapper.

        Returns:
            dict: The log variables of the (first) forward pass.
        """
        if is_sam_optim_wrapper(optim_wrapper):
            return sam_train_step(
                self,
                data,
                optim_wrapper,
                sync_first_pass=self.sync_first_pass)
        return super().train_step(data, optim_wrapper)
