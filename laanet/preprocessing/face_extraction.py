# Copyright (c) laanet contributors. All rights reserved.
"""Extract face crops from videos: sample, detect, crop, write.

The work unit is one video. A video is finished when its ``meta.json``
exists; it is written last and atomically, after every PNG (each PNG is
itself written atomically). A re-run skips finished videos and redoes
unfinished ones from scratch, so an interrupted run followed by a re-run
gives exactly the files of an uninterrupted run.
"""
import glob
import json
import os
import os.path as osp
import time
from typing import Callable, Dict, List, Optional, Sequence

import cv2
import numpy as np
from mmengine.logging import MMLogger

from laanet.registry import TASK_UTILS
from laanet.utils.media import (IMAGE_EXTENSIONS, SampledFrames,
                                VideoReadError, atomic_dump_json,
                                atomic_write_image, read_frames_at,
                                read_sampled_frames, sample_frame_indices)
from .face_detectors import FACE_PREP_CFG, crop_face, select_best_face
from .job_pool import run_jobs
from .video_sources import VideoItem

META_FILE = 'meta.json'
REPORT_FILE = 'extract_report.json'
DETECTORS = dict(
    hog=dict(type='DlibHOGFaceDetector'),
    cnn=dict(type='DlibCNNFaceDetector'),
    retinaface=dict(type='RetinaFaceDetector'))

_WORKER: Dict = {}


def frame_file_name(frame_idx: int) -> str:
    """PNG name of a frame, as the official script names it."""
    return f'{frame_idx:03d}.png'


def _clean_partial(video_dir: str) -> None:
    """Remove what an interrupted run left in a video folder."""
    patterns = ('*.png', '.*.tmp', 'masks/*.png', 'masks/.*.tmp',
                'landmarks.json')
    for pattern in patterns:
        for f in glob.glob(osp.join(video_dir, pattern)):
            os.remove(f)


def read_image_sequence(seq_dir: str,
                        num_frames: int,
                        sampling: str = 'even') -> SampledFrames:
    """Sample images of a folder (a pre-cropped sequence).

    The frame index of an image is its position in name order.

    Args:
        seq_dir (str): Folder of images.
        num_frames (int): Images to sample.
        sampling (str): ``'even'`` or ``'consecutive'``
            (:func:`~laanet.utils.media.sample_frame_indices`). Defaults
            to ``'even'``.

    Returns:
        SampledFrames: The images.

    Raises:
        VideoReadError: If the folder has no readable image.
    """
    names = sorted(f for f in os.listdir(seq_dir)
                   if f.lower().endswith(IMAGE_EXTENSIONS))
    res = SampledFrames(declared_count=len(names), real_count=len(names))
    for idx in sample_frame_indices(len(names), num_frames, sampling):
        img = cv2.imread(osp.join(seq_dir, names[idx]), cv2.IMREAD_COLOR)
        if img is None:
            res.warnings.append(f'unreadable image {names[idx]}')
            continue
        res.indices.append(idx)
        res.frames.append(img)
    if not res.frames:
        raise VideoReadError(f'{seq_dir}: no readable image')
    if 0 < num_frames and len(names) < num_frames:
        res.warnings.append(f'short video: {len(names)} frames < '
                            f'{num_frames} requested, all frames used')
    return res


def load_meta(video_dir: str) -> Optional[dict]:
    """Read a finished video's ``meta.json``, or None if unfinished."""
    path = osp.join(video_dir, META_FILE)
    if not osp.isfile(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def extract_video(item: VideoItem, out_dir: str, detector, num_frames: int,
                  margin: float, size: int, extra_meta: dict,
                  frame_transform: Optional[Callable] = None,
                  sampling: str = 'even') -> dict:
    """Extract the faces of one video (see the module docstring).

    Args:
        item (VideoItem): The video.
        out_dir (str): Output root.
        detector (callable): A face detector (image -> (K, 5) boxes).
        num_frames (int): Frames to sample (``sampling='consecutive'``:
            the first ``num_frames``, every frame when 0).
        margin (float): Crop margin relative to the face box.
        size (int): Output side in pixels.
        extra_meta (dict): Written into ``meta.json`` (dataset, split...).
        frame_transform (Callable, optional): ``(frame, video_id,
            frame_idx) -> frame``, applied to each sampled frame before
            face detection (e.g. a DF1 perturbation).
        sampling (str): ``'even'`` (evenly spaced frames) or
            ``'consecutive'`` (the first ``num_frames`` in order, for clip
            methods). Defaults to ``'even'``.

    Returns:
        dict: ``status`` (``'done'``, ``'skipped'`` or ``'unreadable'``),
        ``video_id``, and ``meta`` or ``error``.
    """
    video_dir = osp.join(out_dir, item.rel_dir)
    meta = load_meta(video_dir)
    if meta is not None:
        return dict(status='skipped', video_id=item.video_id, meta=meta)
    pre_cropped = osp.isdir(item.video_path)
    if not pre_cropped and not osp.isfile(item.video_path):
        return dict(status='unreadable', video_id=item.video_id,
                    video_path=item.video_path, error='file not found')
    try:
        if pre_cropped:
            sampled = read_image_sequence(item.video_path, num_frames,
                                          sampling)
        else:
            sampled = read_sampled_frames(item.video_path, num_frames,
                                          sampling=sampling)
    except VideoReadError as e:
        return dict(status='unreadable', video_id=item.video_id,
                    video_path=item.video_path, error=str(e))
    os.makedirs(video_dir, exist_ok=True)
    _clean_partial(video_dir)
    warnings = list(sampled.warnings)
    masks = None
    if item.mask_path:
        if not osp.isfile(item.mask_path):
            warnings.append(f'mask video not found: {item.mask_path}')
        else:
            masks = read_frames_at(item.mask_path, sampled.indices)
            if len(masks) < len(sampled.indices):
                warnings.append(f'mask video {item.mask_path} has fewer '
                                'frames than the video: masks skipped')
                masks = None
    frames, no_face = [], []
    for k, (idx, frame) in enumerate(zip(sampled.indices, sampled.frames)):
        if frame_transform is not None:
            frame = frame_transform(frame, item.video_id, idx)
        if pre_cropped:
            # Already a face crop (e.g. DFW): keep it whole, square it.
            h, w = frame.shape[:2]
            best = np.array([0, 0, w, h, 1.], dtype=np.float32)
        else:
            best = select_best_face(detector(frame))
        if best is None:
            no_face.append(idx)
            continue
        mask = None
        if masks is not None:
            mask = masks[k]
            if mask.ndim == 3:
                mask = cv2.cvtColor(mask, cv2.COLOR_BGR2GRAY)
            if mask.shape[:2] != frame.shape[:2]:
                mask = cv2.resize(mask, frame.shape[1::-1],
                                  interpolation=cv2.INTER_NEAREST)
        crop = crop_face(frame, best, margin=1. if pre_cropped else margin,
                         size=size, mask=mask)
        name = frame_file_name(idx)
        atomic_write_image(osp.join(video_dir, name), crop['img'])
        rec = dict(
            frame_idx=idx, img=name,
            box=[round(float(v), 2) for v in best[:4]],
            score=round(float(best[4]), 4),
            window=[int(v) for v in crop['window']],
            frame_shape=[int(v) for v in frame.shape[:2]])
        if crop['mask'] is not None:
            rec['mask'] = f'masks/{name}'
            atomic_write_image(osp.join(video_dir, rec['mask']), crop['mask'])
        frames.append(rec)
    if not frames:
        warnings.append('no face found in any sampled frame')
    meta = dict(
        item.to_dict(), **extra_meta,
        pre_cropped=pre_cropped,
        crop_margin=1. if pre_cropped else margin,
        crop_size=size,
        num_frames_requested=num_frames,
        frame_sampling=sampling,
        declared_frame_count=sampled.declared_count,
        decoded_frame_count=sampled.real_count,
        sampled_indices=sampled.indices, frames=frames,
        no_face_frames=no_face, warnings=warnings)
    atomic_dump_json(meta, osp.join(video_dir, META_FILE))
    return dict(status='done', video_id=item.video_id, meta=meta)


def _init_worker(detector_cfg: dict, out_dir: str, num_frames: int,
                 margin: float, size: int, extra_meta: dict,
                 frame_transform: Optional[Callable] = None,
                 sampling: str = 'even') -> None:
    cv2.setNumThreads(1)
    _WORKER.update(
        detector=TASK_UTILS.build(detector_cfg), out_dir=out_dir,
        num_frames=num_frames, margin=margin, size=size,
        extra_meta=extra_meta, frame_transform=frame_transform,
        sampling=sampling)


def _work(item: VideoItem) -> dict:
    w = _WORKER
    return extract_video(item, w['out_dir'], w['detector'], w['num_frames'],
                         w['margin'], w['size'], w['extra_meta'],
                         w['frame_transform'], w['sampling'])


def run_extraction(items: Sequence[VideoItem],
                   out_dir: str,
                   detector_cfg: dict,
                   num_frames: int = 32,
                   margin: float = FACE_PREP_CFG['margin'],
                   size: int = FACE_PREP_CFG['size'],
                   workers: int = 1,
                   extra_meta: Optional[dict] = None,
                   progress: bool = True,
                   logger: Optional[MMLogger] = None,
                   frame_transform: Optional[Callable] = None,
                   sampling: str = 'even') -> dict:
    """Extract every video and write ``out_dir/extract_report.json``.

    Args:
        items (Sequence[VideoItem]): The videos.
        out_dir (str): Output root.
        detector_cfg (dict): Config of a detector in ``TASK_UTILS``.
        num_frames (int): Frames per video. Defaults to 32.
        margin (float): Crop margin. Defaults to 1.25.
        size (int): Crop side. Defaults to 256.
        workers (int): Parallel processes. Defaults to 1.
        extra_meta (dict, optional): Stored in each ``meta.json``.
        progress (bool): Show a progress bar. Defaults to True.
        logger (MMLogger, optional): Where problems are logged.
        frame_transform (Callable, optional): Applied to each sampled
            frame before detection (picklable with ``workers > 1``).
        sampling (str): ``'even'`` or ``'consecutive'`` (see
            :func:`extract_video`). Defaults to ``'even'``.

    Returns:
        dict: The report (also written to disk).
    """
    if sampling not in ('even', 'consecutive'):
        raise ValueError("sampling must be 'even' or 'consecutive', got "
                         f'{sampling!r}')
    min_frames = 0 if sampling == 'consecutive' else 1
    if num_frames < min_frames or size < 1 or workers < 1:
        raise ValueError(f'num_frames must be >= {min_frames} (sampling '
                         f'{sampling!r}), size and workers >= 1')
    logger = logger or MMLogger.get_current_instance()
    extra_meta = dict(extra_meta or {})
    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()
    results: List[dict] = []
    args = (detector_cfg, out_dir, num_frames, margin, size, extra_meta,
            frame_transform, sampling)
    for res in run_jobs(_work, items, workers, _init_worker, args,
                        'extract faces', progress, ordered=False):
        results.append(res)
        if res['status'] == 'unreadable':
            logger.warning(f'unreadable video {res["video_path"]} '
                           f'({res["video_id"]}): {res["error"]}')
        elif res['status'] == 'done':
            for w in res['meta']['warnings']:
                logger.warning(f'{res["video_id"]}: {w}')
            if res['meta']['no_face_frames']:
                logger.warning(
                    f'{res["video_id"]}: no face in frames '
                    f'{res["meta"]["no_face_frames"]}')
    elapsed = time.perf_counter() - start
    report = build_report(results, elapsed)
    report.update(out_dir=osp.abspath(out_dir), num_frames=num_frames,
                  frame_sampling=sampling,
                  crop_margin=margin, crop_size=size, workers=workers,
                  detector=detector_cfg.get('type'))
    atomic_dump_json(report, osp.join(out_dir, REPORT_FILE), indent=2)
    logger.info(
        f'extracted {report["videos_done"]} videos '
        f'({report["videos_skipped"]} already done), '
        f'{report["frames_written"]} frames written, '
        f'{len(report["frames_without_face"])} frames without a face, '
        f'{len(report["unreadable_videos"])} unreadable videos, '
        f'{elapsed:.1f} s')
    return report


def build_report(results: List[dict], elapsed: float) -> dict:
    """Summarise per-video results into the JSON report.

    Finished videos count whether they ran now or in an earlier run, so
    the report of a resumed run equals that of an uninterrupted one
    (apart from ``time_s``, ``frames_per_s`` and ``videos_skipped``).

    Args:
        results (list[dict]): :func:`extract_video` results.
        elapsed (float): Seconds spent.

    Returns:
        dict: The report.
    """
    results = sorted(results, key=lambda r: r['video_id'])
    done = [r for r in results if r['status'] in ('done', 'skipped')]
    frames_now = sum(
        len(r['meta']['sampled_indices']) for r in results
        if r['status'] == 'done')
    report = dict(
        videos_total=len(results),
        videos_done=len(done),
        videos_skipped=sum(r['status'] == 'skipped' for r in results),
        frames_written=sum(len(r['meta']['frames']) for r in done),
        frames_without_face=[
            f'{r["video_id"]}/{i}' for r in done
            for i in r['meta']['no_face_frames']
        ],
        videos_without_face=[
            r['video_id'] for r in done if not r['meta']['frames']
        ],
        short_videos=[
            r['video_id'] for r in done
            if r['meta']['decoded_frame_count'] <
            r['meta']['num_frames_requested']
        ],
        frame_count_mismatch=[
            r['video_id'] for r in done if r['meta']['decoded_frame_count']
            != r['meta']['declared_frame_count']
        ],
        unreadable_videos=[
            dict(video_id=r['video_id'], video_path=r['video_path'],
                 error=r['error']) for r in results
            if r['status'] == 'unreadable'
        ],
        warnings={
            r['video_id']: r['meta']['warnings']
            for r in done if r['meta']['warnings']
        },
        time_s=round(elapsed, 3),
        frames_processed_now=frames_now,
        frames_per_s=round(frames_now / elapsed, 3) if elapsed > 0 else None)
    return report


def read_frame_index(frames_dir: str) -> List[dict]:
    """All finished videos under an extraction output, sorted by id.

    Args:
        frames_dir (str): The extraction output root.

    Returns:
        list[dict]: ``meta.json`` contents with ``abs_dir`` added.
    """
    metas = []
    for path in glob.glob(
            osp.join(frames_dir, '**', META_FILE), recursive=True):
        with open(path, encoding='utf-8') as f:
            meta = json.load(f)
        meta['abs_dir'] = osp.dirname(osp.abspath(path))
        metas.append(meta)
    metas.sort(key=lambda m: m['video_id'])
    ids = [m['video_id'] for m in metas]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f'{frames_dir} holds several videos with the ids '
                         f'{dup[:5]}: extract each dataset/split into its '
                         'own folder')
    return metas
