# Copyright (c) laanet contributors. All rights reserved.
"""A hook that kills its own process, for kill-and-resume tests."""
import os
import signal

from mmengine.hooks import Hook

from laanet.registry import HOOKS


@HOOKS.register_module()
class SimulatedCrashHook(Hook):
    """SIGKILL the process before training iteration ``at_iter``.

    Nothing is cleaned up or flushed, as when a job is killed.

    Args:
        at_iter (int): Global iteration (0-based) at which to die.
    """

    def __init__(self, at_iter: int) -> None:
        self.at_iter = at_iter

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        """Die at ``at_iter``."""
        if runner.iter == self.at_iter:
            os.kill(os.getpid(), signal.SIGKILL)
