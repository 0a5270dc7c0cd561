# Copyright (c) laanet contributors. All rights reserved.
"""Perturbed test sets for the DF1 frame protocol.

The DeeperForensics-1.0 reference degrades whole frames (or re-encodes
the video, for VC) before any face is detected. For each ``(kind,
level)`` this writes a complete face-crop set at ``<out_dir>_<KIND><LEVEL>``
next to the clean ``out_dir``, with ``perturbation`` in every
``meta.json``.
"""
import dataclasses
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.logging import MMLogger

from laanet.datasets.perturbations import FramePerturbation
from laanet.utils.media import reencode_video
from .face_extraction import run_extraction
from .video_sources import VideoItem


def perturbed_dir(out_dir: str, kind: str, level: int) -> str:
    """Where the ``kind:level`` copy of ``out_dir`` goes."""
    return f'{osp.normpath(out_dir)}_{kind}{level}'


def _vc_items(items: Sequence[VideoItem], video_dir: str, crf: int,
              logger: MMLogger) -> List[VideoItem]:
    """Re-encode every video at ``crf`` (kept across runs)."""
    out = []
    for item in items:
        if osp.isdir(item.video_path):
            logger.warning(f'{item.video_id}: VC needs a video file, but '
                           f'{item.video_path} is a folder of images; left '
                           'out of the VC set')
            continue
        dst = osp.join(video_dir, item.rel_dir + '.mp4')
        if not osp.isfile(dst):
            reencode_video(item.video_path, dst, crf)
        out.append(dataclasses.replace(item, video_path=dst))
    return out


def run_perturbed_extractions(items: Sequence[VideoItem],
                              out_dir: str,
                              settings: Sequence[Tuple[str, int]],
                              detector_cfg: dict,
                              seed: Optional[int] = None,
                              extra_meta: Optional[dict] = None,
                              logger: Optional[MMLogger] = None,
                              **kwargs) -> Dict[str, dict]:
    """Extract one perturbed face-crop set per DF1 setting.

    Args:
        items (Sequence[VideoItem]): The videos.
        out_dir (str): The clean set's output root (not written here).
        settings (Sequence[tuple]): ``(kind, level)`` pairs.
        detector_cfg (dict): The face detector.
        seed (int, optional): Mixed into the per-frame seeds of BW, GNC.
        extra_meta (dict, optional): Stored in each ``meta.json``.
        logger (MMLogger, optional): Where problems are logged.
        **kwargs: Passed to :func:`run_extraction` (``num_frames``,
            ``margin``, ``size``, ``workers``, ``progress``).

    Returns:
        dict: ``'KIND:LEVEL'`` -> the extraction report.
    """
    from laanet.datasets.perturbations import df1_param
    logger = logger or MMLogger.get_current_instance()
    reports = {}
    for kind, level in settings:
        name = f'{kind}:{level}'
        dst = perturbed_dir(out_dir, kind, level)
        meta = dict(extra_meta or {}, perturbation=name)
        logger.info(f'{name}: {len(items)} videos -> {dst}')
        if kind == 'VC':
            vc_items = _vc_items(items, dst + '_videos',
                                 df1_param(kind, level), logger)
            reports[name] = run_extraction(
                vc_items, dst, detector_cfg, extra_meta=meta, logger=logger,
                **kwargs)
        else:
            reports[name] = run_extraction(
                items, dst, detector_cfg, extra_meta=meta, logger=logger,
                frame_transform=FramePerturbation(kind, level, seed),
                **kwargs)
    return reports
