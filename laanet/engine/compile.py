# Copyright (c) laanet contributors. All rights reserved.
"""``torch.compile`` for a detector's parts, in place (runtime machinery: it
knows nothing about the models, so it lives in the engine)."""
from typing import List, Optional, Union

from torch import nn


def compile_model(model: nn.Module,
                  compile_cfg: Optional[Union[bool, dict]] = True
                  ) -> List[str]:
    """Compile every part of a model (its direct children but the data
    preprocessor) in place with :meth:`torch.nn.Module.compile`.

    The parts keep their parameters and state-dict keys (no
    ``_orig_mod.`` prefix), so checkpoints, DDP wrapping and the runner's
    hooks are unaffected. The model's own ``forward``, ``loss``,
    ``predict`` and ``train_step`` stay eager: the mode dispatch, the
    flip test-time augmentation (two calls of the compiled parts with the
    same shapes share one graph) and SAM's two forward/backward passes
    with their optimizer steps run as before and call the compiled parts.
    Works for any detector made of a backbone, an optional neck and heads
    (LAANet, or a classifier).

    Args:
        model (nn.Module): The bare model (not a DDP wrapper).
        compile_cfg (bool | dict, optional): True, or keyword arguments of
            ``torch.compile`` (``mode``, ``backend``, ``dynamic``...).
            None or False compiles nothing. Defaults to True.

    Returns:
        list[str]: The names of the compiled parts.
    """
    if compile_cfg is None or compile_cfg is False:
        return []
    kwargs = {} if compile_cfg is True else dict(compile_cfg)
    names = []
    for name, child in model.named_children():
        if name == 'data_preprocessor':
            continue
        child.compile(**kwargs)
        names.append(name)
    return names
