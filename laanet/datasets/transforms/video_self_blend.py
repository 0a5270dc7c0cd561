# Copyright (c) laanet contributors. All rights reserved.
"""Video-level Self-Blended Images: one SBI draw replayed over a clip."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from laanet.registry import TRANSFORMS
from .functional.landmark_utils import damp_landmark_jumps, reorder_landmarks
from .functional.views import FAKE_SUFFIX, describe_failure, fake_video_id
from .self_blend import SelfBlend


@TRANSFORMS.register_module()
class VideoSelfBlend(BaseTransform):
    """FakeSTormer's video SBI: a (real, fake) clip pair from a real clip.

    Every random choice of :class:`SelfBlend` (flip, 68-point hull, hull
    type, which side is augmented and how, the source affine and elastic
    field, the blend-mask jitter, blurs and ratio, the margin) is drawn
    **once per clip** (:meth:`SelfBlend.draw_params`) and replayed on every
    frame (:meth:`SelfBlend.make_views`); only the landmarks change from
    frame to frame. The temporal change inside a fake clip therefore comes
    from the face's own motion: each frame's hull follows its landmarks.

    Before the synthesis, 81-point tracks are reordered (forehead contour)
    and their jumps damped (:func:`damp_landmark_jumps`, threshold 0.35,
    step 0.2). The official code damps 81-point tracks only; 68-point
    tracks are damped too with ``damp_68_points=True``.

    ``fake_intensity ~ U(0.5, 1)``, the vulnerability masking's threshold,
    is drawn once per clip. (The official code draws it for every frame
    and uses frame 0's draw only; the value used has the same
    distribution.)

    Required Keys:

    - img: list of T BGR uint8 (H, W, 3) frames, all of one size
    - landmarks: (T, N, 2), N = 68 or 81, per frame

    Modified Keys:

    - img: list of T real frames, margin-cropped (and flipped)
    - landmarks: (T, N, 2) float32, damped, flipped, in crop coordinates
    - img_shape, flip

    Added Keys:

    - img_fake: list of T fake frames
    - boundary: (T, h, w) zeros for the real clip
    - boundary_fake: (T, h, w) ``uint8(255·B)`` per frame, B = 4M(1 − M)
      with the un-scaled blend mask M (float32 B with
      ``quantize_boundary=False`` in ``sbi``)
    - fake_intensity (float), gt_label = 0, gt_label_fake = 1
    - manipulation_fake (``'SBI'``), video_id_fake (``'SBI/<video_id>'``)

    Args:
        sbi (dict, optional): Keyword arguments of :class:`SelfBlend`
            (all but ``pair`` and ``prob_fake``: a clip always gives a
            pair). Defaults to None (the official SBI parameters; set
            ``hflip_prob=0.`` for the official validation data).
        jump_threshold (float, optional): Damping threshold of the mean
            landmark jump (px). None disables the damping.
            Defaults to 0.35.
        jump_step (float): The damped jump is divided by
            ``round(d / jump_step)``. Defaults to 0.2.
        damp_68_points (bool): Damp 68-point tracks too (the official
            code damps only 81-point tracks). Defaults to False.
        intensity_range (tuple[float, float]): Range of ``fake_intensity``.
            Defaults to (0.5, 1.).
    """

    def __init__(self,
                 sbi: Optional[dict] = None,
                 jump_threshold: Optional[float] = 0.35,
                 jump_step: float = 0.2,
                 damp_68_points: bool = False,
                 intensity_range: tuple = (0.5, 1.)) -> None:
        super().__init__()
        sbi = dict(sbi or {})
        fixed = {'pair', 'prob_fake'} & set(sbi)
        if fixed:
            raise ValueError(f'VideoSelfBlend always makes a pair; remove '
                             f'{sorted(fixed)} from sbi.')
        self.sbi = sbi
        self.self_blend = SelfBlend(pair=True, **sbi)
        self.jump_threshold = jump_threshold
        self.jump_step = jump_step
        self.damp_68_points = damp_68_points
        self.intensity_range = tuple(intensity_range)

    @cache_randomness
    def _rand_intensity(self) -> float:
        """The clip's ``fake_intensity``."""
        return float(np.random.uniform(*self.intensity_range))

    def _track(self, results: dict, num_frames: int) -> np.ndarray:
        """The clip's landmarks, reordered and damped, (T, N, 2)."""
        lms = np.asarray(results['landmarks'], dtype=np.float64)
        if lms.ndim != 3 or lms.shape[0] != num_frames or lms.shape[
                1] not in (68, 81) or lms.shape[2] != 2:
            raise ValueError(
                describe_failure(
                    results, f'a {num_frames}-frame clip needs landmarks '
                    f'of shape ({num_frames}, 68 or 81, 2), got '
                    f'{lms.shape}'))
        lms = np.stack([reorder_landmarks(f) for f in lms])
        damp = self.jump_threshold is not None and (
            lms.shape[1] > 68 or self.damp_68_points)
        if damp:
            lms = damp_landmark_jumps(lms, self.jump_threshold,
                                      self.jump_step)
        return lms

    def transform(self, results: dict) -> dict:
        """Synthesise the (real, fake) clip pair.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with the keys listed above.
        """
        frames = results['img']
        if not isinstance(frames, (list, tuple)) or not frames:
            raise ValueError(
                describe_failure(
                    results, 'VideoSelfBlend needs results["img"] to be a '
                    f'non-empty list of frames, got {type(frames).__name__}'
                ))
        shape = frames[0].shape[:2]
        if any(f.shape[:2] != shape for f in frames):
            raise ValueError(
                describe_failure(
                    results, 'the frames of a clip differ in size: '
                    f'{sorted({f.shape[:2] for f in frames})}'))
        lms = self._track(results, len(frames))
        p = self.self_blend.draw_params(shape, lms.shape[1])
        intensity = self._rand_intensity()
        views = [
            self.self_blend.make_views(f, l, p, results)
            for f, l in zip(frames, lms)
        ]
        boundary = np.stack([v['boundary'] for v in views])
        results.update(
            img=[v['real'] for v in views],
            img_fake=[v['fake'] for v in views],
            boundary=np.zeros_like(boundary),
            boundary_fake=boundary,
            fake_intensity=intensity,
            gt_label=0,
            gt_label_fake=1,
            landmarks=np.stack([v['landmarks']
                                for v in views]).astype(np.float32),
            flip=bool(results.get('flip', False)) ^ p['flip'],
            img_shape=views[0]['real'].shape[:2])
        results['manipulation' + FAKE_SUFFIX] = 'SBI'
        if results.get('video_id') is not None:
            results['video_id' + FAKE_SUFFIX] = fake_video_id(
                results['video_id'], 'SBI')
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sbi={self.sbi}, '
                f'jump_threshold={self.jump_threshold}, '
                f'jump_step={self.jump_step}, '
                f'damp_68_points={self.damp_68_points}, '
                f'intensity_range={self.intensity_range})')
