# Copyright (c) laanet contributors. All rights reserved.
"""Convert a foreign checkpoint while it loads into a module."""
from collections import OrderedDict
from typing import Callable, Mapping, Optional, Sequence

from mmengine.logging import print_log
from torch import nn

#: Attribute where a module records the conversions its hook made.
CONVERSIONS_ATTR = 'loaded_conversions'


def strip_module_prefix(state_dict: Mapping) -> 'OrderedDict':
    """Remove DataParallel's ``module.`` prefix from every key."""
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state_dict.items())


def convert_on_load(module: nn.Module,
                    kind: str,
                    detect: Callable[[Mapping], bool],
                    convert: Callable[[Mapping], Mapping],
                    check: Optional[Callable[[Mapping], None]] = None,
                    drop_otherwise: Sequence[str] = ()) -> None:
    """Register a load-state-dict pre-hook that converts a foreign layout.

    When a state dict is loaded into ``module`` (``load_state_dict``,
    ``load_checkpoint``, ``load_from``, ``init_model``), the hook takes
    the keys under the module's prefix; if ``detect`` recognises them, it
    replaces them by ``convert``'s keys, runs ``check`` on them, logs one
    line and appends ``kind`` to ``module.loaded_conversions`` (which
    ``tools/model_converters/convert_checkpoint.py`` records). Otherwise
    it drops the keys named in ``drop_otherwise`` (e.g. a classifier the
    module does not have) and leaves the rest to the normal loading.

    Args:
        module (nn.Module): The module whose checkpoints may be foreign.
        kind (str): What the foreign layout is, e.g.
            ``'official LAA-Net'``; used in the log and errors.
        detect (Callable): Keys relative to the module → whether they are
            in the foreign layout.
        convert (Callable): Those keys → the module's own keys.
        check (Callable, optional): Called with the converted keys; raises
            ValueError when they do not fit the module. Defaults to None.
            A ValueError of ``convert`` or ``check`` is raised again with
            ``kind`` and the module's class in its message.
        drop_otherwise (Sequence[str]): Relative keys to drop when the
            layout is not recognised. Defaults to ().
    """
    setattr(module, CONVERSIONS_ATTR, [])
    module._register_load_state_dict_pre_hook(
        _ConvertHook(kind, detect, convert, check, tuple(drop_otherwise)),
        with_module=True)


class _ConvertHook:
    """The pre-hook of :func:`convert_on_load` (an object, so that a deep
    copy of the module re-binds ``detect`` / ``convert`` / ``check`` to
    the copy)."""

    def __init__(self, kind: str, detect: Callable, convert: Callable,
                 check: Optional[Callable], drop_otherwise: tuple) -> None:
        self.kind = kind
        self.detect = detect
        self.convert = convert
        self.check = check
        self.drop_otherwise = drop_otherwise

    def __call__(self, module: nn.Module, state_dict: dict, prefix: str,
                 *args) -> None:
        """Convert the keys under ``prefix`` in place when recognised."""
        local = {
            k[len(prefix):]: k
            for k in state_dict if k.startswith(prefix)
        }
        if not self.detect({n: state_dict[k] for n, k in local.items()}):
            for key in self.drop_otherwise:
                if key in local:
                    state_dict.pop(local[key])
            return
        sub = {n: state_dict.pop(k) for n, k in local.items()}
        name = type(module).__name__
        try:
            converted = self.convert(sub)
            if self.check is not None:
                self.check(converted)
        except ValueError as err:
            raise ValueError(f'An {self.kind} checkpoint does not fit this '
                             f'{name}:\n{err}') from err
        for key, value in converted.items():
            state_dict[prefix + key] = value
        getattr(module, CONVERSIONS_ATTR).append(self.kind)
        print_log(
            f'{name}: recognised an {self.kind} checkpoint (under '
            f'"{prefix}") and converted it on the fly to {len(converted)} '
            'laanet keys (float32).',
            logger='current')
