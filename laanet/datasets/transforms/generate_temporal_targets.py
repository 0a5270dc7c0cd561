# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's temporal heatmap targets of a clip pair."""
import numpy as np
from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from .functional.clip_targets import (TEMPORAL_TARGET_TYPES,
                                      encode_temporal_target)
from .functional.views import describe_failure


@TRANSFORMS.register_module()
class GenerateTemporalTargets(BaseTransform):
    """The heatmap targets of a clip pair from its boundary maps
    (fakestormer-reference §4.4).

    The fake's target is the frame-to-frame change of its (T, 14, 14)
    uint8 boundary maps, z-scored (``m_std_normalized``, official default)
    or as 3-D Gaussians at its maxima (``gaussian``), with a zero frame
    first. The real's is computed from its own (zero) maps with the
    fake's μ and σ, i.e. the constant −μ/σ (zeros for ``gaussian`` or when
    μ or σ is 0). The official change is the uint8 difference, where a
    decrease wraps round to 256 − |Δ| (§8 item 3); ``true_abs_diff=True``
    uses |Δ| instead (a fix that changes the targets, off by default).

    Required Keys:

    - boundary_fake ((T, h, w) uint8)
    - boundary ((T, h, w) uint8, optional: zeros when absent)

    Added Keys:

    - heatmap, heatmap_fake ((T, h, w) float32)

    Args:
        target_type (str): ``'m_std_normalized'`` or ``'gaussian'``.
            Defaults to ``'m_std_normalized'``.
        sigma (float): The official ``SIGMA`` (``gaussian`` only).
            Defaults to 1.
        true_abs_diff (bool): Use |Δ| instead of the uint8 wrap-around.
            Defaults to False (official).
    """

    def __init__(self,
                 target_type: str = 'm_std_normalized',
                 sigma: float = 1.,
                 true_abs_diff: bool = False) -> None:
        if target_type not in TEMPORAL_TARGET_TYPES:
            raise ValueError(f'target_type must be one of '
                             f'{TEMPORAL_TARGET_TYPES}, got {target_type!r}')
        self.target_type = target_type
        self.sigma = sigma
        self.true_abs_diff = true_abs_diff

    def transform(self, results: dict) -> dict:
        """Write ``heatmap`` and ``heatmap_fake``.

        Args:
            results (dict): The result dict of a clip pair.

        Returns:
            dict: The updated results.
        """
        fake = np.asarray(results['boundary_fake'])
        real = results.get('boundary')
        real = np.zeros_like(fake) if real is None else np.asarray(real)
        for name, b in (('boundary_fake', fake), ('boundary', real)):
            if b.ndim != 3 or b.dtype != np.uint8 or b.shape != fake.shape:
                raise ValueError(
                    describe_failure(
                        results, f'{name} must be a (T, h, w) uint8 array '
                        f'like boundary_fake {fake.shape}, got {b.dtype} '
                        f'{b.shape}'))
        kw = dict(
            target_type=self.target_type,
            sigma=self.sigma,
            true_abs_diff=self.true_abs_diff)
        hm_fake, params = encode_temporal_target(fake, **kw)
        hm_real, _ = encode_temporal_target(real, **kw, **params)
        results['heatmap_fake'] = hm_fake.astype(np.float32)
        results['heatmap'] = hm_real.astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(target_type={self.target_type!r}'
                f', sigma={self.sigma}, true_abs_diff={self.true_abs_diff})')
