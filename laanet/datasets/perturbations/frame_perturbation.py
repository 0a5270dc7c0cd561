# Copyright (c) laanet contributors. All rights reserved.
"""A DF1 perturbation of decoded video frames (the frame protocol)."""
from typing import List, Optional, Sequence, Tuple

import numpy as np

from .df1 import DF1_KINDS, df1_param, df1_perturb, image_seed


def parse_perturb_specs(specs: Sequence[str]) -> List[Tuple[str, int]]:
    """``['GB:3', 'CS:1']`` or ``['all']`` -> ``[(kind, level), ...]``.

    Args:
        specs (Sequence[str]): ``TYPE:LEVEL`` items, ``TYPE`` alone (all
            five levels) or ``all`` (the 35 settings).

    Returns:
        list[tuple]: The settings, without repeats, in the given order.

    Raises:
        ValueError: On an unknown kind or level.
    """
    out = []
    for spec in specs:
        if spec == 'all':
            out += [(k, lv) for k in DF1_KINDS for lv in range(1, 6)]
            continue
        kind, _, level = spec.partition(':')
        levels = range(1, 6) if not level else [level]
        for lv in levels:
            try:
                lv = int(lv)
            except ValueError:
                raise ValueError(f'--perturb {spec!r}: the level must be '
                                 '1..5')
            df1_param(kind, lv)
            out.append((kind, lv))
    return list(dict.fromkeys(out))


class FramePerturbation:
    """Degrade the frames of a video before face detection.

    A picklable callable for the extraction workers. Each frame gets its
    own seed, derived from the video id and the frame index. VC is not a
    frame operation: re-encode the video with
    :func:`~laanet.utils.media.reencode_video` instead.

    Args:
        kind (str): A DF1 code other than ``'VC'``.
        level (int): 1..5.
        seed (int, optional): Mixed into the per-frame seeds.
    """

    def __init__(self, kind: str, level: int,
                 seed: Optional[int] = None) -> None:
        df1_param(kind, level)
        if kind == 'VC':
            raise ValueError('VC re-encodes the whole video (reencode_video),'
                             ' it is not a frame perturbation.')
        self.kind = kind
        self.level = level
        self.seed = seed

    def __call__(self, frame: np.ndarray, video_id: str,
                 frame_idx: int) -> np.ndarray:
        """Perturb one decoded BGR frame.

        Args:
            frame (np.ndarray): BGR uint8.
            video_id (str): The video (seed, error messages).
            frame_idx (int): The frame's index in the video.

        Returns:
            np.ndarray: The perturbed frame.
        """
        seed = image_seed(self.seed, self.kind, self.level, video_id,
                          frame_idx)
        return df1_perturb(frame, self.kind, self.level, seed,
                           name=f'{video_id} frame {frame_idx}')

    def __repr__(self) -> str:
        return f'{self.kind}:{self.level}'
