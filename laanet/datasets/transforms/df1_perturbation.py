# Copyright (c) laanet contributors. All rights reserved.
"""A DeeperForensics-1.0 perturbation as a test-pipeline transform."""
from typing import Sequence

import numpy as np

from laanet.registry import TRANSFORMS
from laanet.utils.media import to_bgr_uint8
from ..perturbations.df1 import BW_BLOCK, df1_param, df1_perturb, paint_blocks
from .base_perturbation import BasePerturbation


def block_wise_in_crop(img: np.ndarray, param: int,
                       rng: np.random.Generator, frame_hw: Sequence[int],
                       window: Sequence[float]) -> np.ndarray:
    """BW drawn on the full frame, seen through a face crop.

    ``param * (min(H, W) // 256)`` block corners are drawn uniformly over
    the frame as the reference does; those that overlap ``window`` are
    painted on the crop, scaled by the crop's size over the window's.

    Args:
        img (np.ndarray): The BGR uint8 crop.
        param (int): The BW parameter.
        rng (np.random.Generator): Where the positions come from.
        frame_hw (Sequence[int]): The frame's (H, W).
        window (Sequence[float]): The crop's ``(x0, y0, x1, y1)`` in the
            frame.

    Returns:
        np.ndarray: A perturbed copy of the crop.
    """
    fh, fw = int(round(frame_hw[0])), int(round(frame_hw[1]))
    num = min(fh, fw) // 256 * param
    xs = rng.integers(0, max(fw - BW_BLOCK, 1), num)
    ys = rng.integers(0, max(fh - BW_BLOCK, 1), num)
    x0, y0, x1, y1 = (float(v) for v in window)
    sx, sy = img.shape[1] / (x1 - x0), img.shape[0] / (y1 - y0)
    side = max(int(round(BW_BLOCK * sx)), 1)
    keep = ((xs + BW_BLOCK > x0) & (xs < x1) & (ys + BW_BLOCK > y0) &
            (ys < y1))
    return paint_blocks(img, np.floor((xs[keep] - x0) * sx),
                        np.floor((ys[keep] - y0) * sy), side)


@TRANSFORMS.register_module()
class DF1Perturbation(BasePerturbation):
    """Degrade ``img`` with a DeeperForensics-1.0 perturbation.

    Put it right after the image is loaded in a test pipeline (the *crop
    protocol*: the stored face crops are degraded). See
    :mod:`laanet.datasets.perturbations.df1` for the kinds and levels; the
    reference applies them to full frames before face detection (the
    *frame protocol*: ``tools/dataset_converters/extract_faces.py
    --perturb``). The randomness of BW and GNC is seeded per image (from
    ``img_path`` and ``seed``), so a run is reproducible.

    BW depends on the frame size: when the sample records the frame it was
    cut from (``frame_shape`` = (H, W) and ``crop_window`` = (x0, y0, x1,
    y1)), the blocks are drawn on that frame and mapped into the crop;
    otherwise a crop of at least 256 pixels is treated as the frame (a
    256-px crop gets ``param`` 8x8 blocks, as the reference would give it)
    and a smaller crop as a 256-px frame shrunk to its size (``param``
    blocks, proportionally smaller).

    Required Keys:

    - img

    Modified Keys:

    - img (BGR uint8; grey-scale and BGRA inputs are converted)

    Added Keys:

    - perturbation (``'KIND:LEVEL'``)

    Args:
        kind (str): ``'CS'``, ``'CC'``, ``'BW'``, ``'GNC'``, ``'GB'``,
            ``'JPEG'`` or ``'VC'``.
        level (int): 1..5. Defaults to 3.
        seed (int, optional): Mixed into the per-image seed. None uses the
            image path alone. Defaults to None.

    Examples:
        >>> import numpy as np
        >>> t = DF1Perturbation(kind='CC', level=1)
        >>> t(dict(img=np.full((4, 4, 3), 100, np.uint8)))['img'][0, 0]
        array([85, 85, 85], dtype=uint8)
    """

    def check(self, kind: str, level: int) -> None:
        """Raise ``ValueError`` on an unknown DF1 code or level."""
        df1_param(kind, level)

    def perturb(self, img: np.ndarray, seed: int, name: str,
                results: dict) -> np.ndarray:
        """The DF1 perturbation of one crop (BW from the frame size)."""
        if self.kind != 'BW':
            return df1_perturb(img, self.kind, self.level, seed, name)
        img = to_bgr_uint8(img, name)
        frame_hw = results.get('frame_shape')
        window = results.get('crop_window')
        if frame_hw is None or window is None:
            h, w = img.shape[:2]
            s = max(256 / min(h, w), 1.)
            frame_hw, window = (h * s, w * s), (0, 0, w * s, h * s)
        return block_wise_in_crop(img, df1_param('BW', self.level),
                                  np.random.default_rng(seed), frame_hw,
                                  window)
