# Copyright (c) laanet contributors. All rights reserved.
"""Build albumentations pipelines from config dicts, strictly."""
import copy
import inspect
import random
from typing import List, Optional

import cv2
import numpy as np

try:
    import albumentations
except ImportError:  # pragma: no cover - albumentations is a runtime dep
    albumentations = None

_CONTAINERS = ('Compose', 'OneOf', 'SomeOf', 'Sequential')


def build_albu(cfg: dict):
    """Build one albumentations transform from a dict, recursively.

    albumentations 2.x only *warns* about argument names it does not know
    (1.x names such as ``ImageCompression(quality_lower=...)`` are dropped
    and the default is used), which silently changes an augmentation. This
    builder raises instead.

    Args:
        cfg (dict): ``dict(type='RGBShift', r_shift_limit=20, ...)``;
            containers (``OneOf``, ``SomeOf``, ``Sequential``) take a
            ``transforms`` list of such dicts.

    Returns:
        albumentations.BasicTransform: The transform.

    Raises:
        ValueError: On an unknown transform or argument name.
    """
    if albumentations is None:  # pragma: no cover
        raise ImportError('albumentations is required: '
                          'pip install "albumentations>=2.0"')
    args = copy.deepcopy(cfg)
    name = args.pop('type')
    cls = getattr(albumentations, name, None)
    if cls is None:
        raise ValueError(f'albumentations has no transform {name!r}.')
    params = inspect.signature(cls.__init__).parameters
    if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
        unknown = sorted(set(args) - set(params))
        if unknown:
            known = sorted(set(params) - {'self'})
            raise ValueError(
                f'albumentations.{name} (version '
                f'{albumentations.__version__}) has no argument(s) '
                f'{unknown}; use the 2.x names: {known}')
    if name in _CONTAINERS:
        args['transforms'] = [build_albu(t) for t in args['transforms']]
    return cls(**args)


def build_albu_compose(transforms: List[dict],
                       additional_targets: Optional[dict] = None):
    """Build an ``albumentations.Compose`` from a list of config dicts."""
    return albumentations.Compose([build_albu(t) for t in transforms],
                                  additional_targets=additional_targets)


def apply_albu_bgr(compose, seed: int, images: dict) -> dict:
    """Run a seeded compose on BGR uint8 images, converting to RGB inside.

    Args:
        compose (albumentations.Compose): The pipeline; extra images must
            be declared in its ``additional_targets``.
        seed (int): Seed for albumentations' own generators, drawn by the
            caller from ``np.random`` so the result follows the pipeline
            seed.
        images (dict): ``{'image': bgr, <extra>: bgr, ...}``.

    Returns:
        dict: The augmented BGR images under the same keys.
    """
    # One shared pair of generators: albumentations' own
    # ``set_random_seed`` gives every child the *same* seed, so all
    # transforms would draw identical numbers and fire together.
    compose.set_random_state(
        np.random.default_rng(int(seed)), random.Random(int(seed)))
    rgb = {
        k: np.ascontiguousarray(cv2.cvtColor(v, cv2.COLOR_BGR2RGB))
        for k, v in images.items()
    }
    out = compose(**rgb)
    return {k: cv2.cvtColor(out[k], cv2.COLOR_RGB2BGR) for k in images}
