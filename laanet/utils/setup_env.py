# Copyright (c) laanet contributors. All rights reserved.
"""Environment set-up: :func:`register_all_modules`.

The one module of :mod:`laanet.utils` allowed to import the packages
above it (as mmpretrain's). It does not import :mod:`laanet.apis`:
``INFERENCERS`` finds it through its registry ``locations``.
"""
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register all modules in laanet into the registries.

    Args:
        init_default_scope (bool): Whether to initialize the laanet default
            scope. When ``init_default_scope=True``, the global default scope
            is set to ``laanet``, and all registries build modules from
            laanet's registry nodes. To understand more about the registry,
            please refer to
            https://mmengine.readthedocs.io/en/latest/advanced_tutorials/registry.html.
            Defaults to True.
    """
    import laanet.datasets  # noqa: F401,F403
    import laanet.engine  # noqa: F401,F403
    import laanet.evaluation  # noqa: F401,F403
    import laanet.models  # noqa: F401,F403
    import laanet.preprocessing  # noqa: F401,F403
    import laanet.structures  # noqa: F401,F403
    import laanet.visualization  # noqa: F401,F403

    if not init_default_scope:
        return

    current_scope = DefaultScope.get_current_instance()
    if current_scope is None:
        DefaultScope.get_instance('laanet', scope_name='laanet')
    elif current_scope.scope_name != 'laanet':
        warnings.warn(
            f'The current default scope "{current_scope.scope_name}" '
            'is not "laanet", `register_all_modules` will force '
            'the current default scope to be "laanet". If this is '
            'not expected, please set `init_default_scope=False`.')
        # avoid name conflict
        new_instance_name = f'laanet-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_instance_name, scope_name='laanet')
