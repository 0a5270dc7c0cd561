# Copyright (c) laanet contributors. All rights reserved.
"""The dataset that reads DeepfakeBench's prepared data sets."""
import json
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmengine.logging import print_log

from laanet.registry import DATASETS
from .deepfake_dataset import DeepfakeDataset
from .deepfakebench_lmdb import (decode_lmdb_landmarks, lmdb_get, lmdb_has,
                                 lmdb_locate, make_lmdb_uri)
from .deepfakebench_utils import (dfb_video_name, frame_index, json_basename,
                                  label_of, normalize_json_path,
                                  read_dfb_json, resolve_json_path,
                                  select_frames, sibling_path)

ON_MISSING = ('error', 'skip')
METHOD_SOURCES = ('label_key', 'folder')


@DATASETS.register_module()
class DeepfakeBenchDataset(DeepfakeDataset):
    """Face frames listed in a DeepfakeBench data set JSON.

    Reads DeepfakeBench's prepared data (``rearrange.py`` JSONs over the
    ``frames/``, ``landmarks/`` and ``masks/`` folders of
    ``preprocess.py``, or its LMDB files) without re-extraction. One data
    info per kept frame, with the keys of :class:`DeepfakeDataset`'s:
    ``img_path``, ``gt_label`` (``label``), ``video_id``, ``frame_idx``
    (the frame's file number), ``manipulation`` (``'original'`` for reals,
    the label key for fakes), ``dataset_name``, and ``landmarks`` (81x2
    float32, ``with_landmarks``) or ``landmark_path``, ``mask_path`` where
    the JSON lists masks, ``best_match`` with ``best_match_file``. Also:

    - ``dfb_frame_path``: the frame path exactly as written in the JSON
      (the identity DeepfakeBench's metric and predictions use);
    - ``dfb_video_id``: DeepfakeBench's video key, the frame's folder name
      (it merges ``Deepfakes/000_003`` with ``Face2Face/000_003``), while
      ``video_id`` is the full ``<dataset>/<label key>/<video>``;
    - ``label_key`` and ``method`` (the label key, or with
      ``method_source='folder'`` the folders between the data set folder
      and ``frames``, e.g. Celeb-DF++'s ``Celeb-synthesis/FaceSwap/SimSwap``).

    The JSON layout (splits nested by compression for the FF++ family, or
    flat) is detected from the data. Paths get ``/`` separators, lose a
    leading ``./`` and resolve against ``data_root``; one that escapes it
    is refused. Frames are sorted by their integer file name and capped
    per video by ``frames_per_video`` (train and test alike, as
    DeepfakeBench's ``frame_num``). Everything is checked at construction,
    before any sample is made: the JSON's structure (the malformed DFDC
    ``val`` split is named), the label keys, and that every kept frame
    exists (missing ones are counted and listed).

    Unlike :class:`DeepfakeDataset`, ``json_file`` is *not* joined with
    ``data_root`` (DeepfakeBench keeps its JSONs apart from its frames).

    Args:
        json_file (str): The data set JSON (e.g. ``FF-DF.json``).
        dataset_name (str): The data set's name inside the JSON
            (``FaceForensics++``, ``Celeb-DF-v2``, ``FaceForensics++_c40``).
        split (str): ``'train'``, ``'val'`` or ``'test'``.
            Defaults to 'test'.
        data_root (str): The folder the JSON's relative paths resolve
            against (DeepfakeBench's ``rgb_dir``). Defaults to ''.
        compression (str): The FF++-family level (``raw``, ``c23``,
            ``c40``); ignored by flat JSONs. Defaults to 'c23'.
        label_map (dict, optional): Label key to 0/1. Defaults to
            DeepfakeBench's ``label_dict`` plus DF40's suffix rule.
        label_keys (Sequence[str], optional): Read only these label keys
            (``['FF-real']``: the originals, for SBI/BI training). None
            reads all.
        frame_selection (str): ``'deepfakebench'``: the first
            ``frames_per_video`` frames, as DeepfakeBench; ``'linspace'``:
            evenly spaced ones. Defaults to 'deepfakebench'.
        frames_per_video (int, optional): Frames kept per video. Defaults
            to 32 (DeepfakeBench's ``frame_num``); None keeps all.
        lmdb_dir (str, optional): Read from DeepfakeBench LMDB files in
            this folder (``<Dataset>_lmdb`` per data set folder) instead of
            ``data_root``. Defaults to None.
        with_landmarks (bool): Read the 81-point landmarks now (``.npy`` or
            LMDB) into ``landmarks``; a frame without them gets None and
            is counted. If False, ``landmark_path`` is given (folders
            only) for ``LoadLandmarks``. Defaults to False.
        landmark_points (int, optional): Keep the first N landmarks: 68
            drops DeepfakeBench's 13 forehead points (LAA-Net's BI uses
            dlib's 68). Needs ``with_landmarks``. Defaults to None (all).
        best_match_file (str, optional): BI partners, ``{JSON frame path:
            [JSON frame paths]}``
            (``tools/dataset_converters/deepfakebench_best_match.py``).
            Defaults to None.
        path_map (dict, optional): ``{old prefix: new prefix}`` applied to
            JSON paths (re-rooting absolute paths). Defaults to None.
        on_missing (str): ``'error'``: missing frames raise, counted and
            listed; ``'skip'``: they are dropped with a warning.
            Defaults to 'error'.
        method_source (str): ``'label_key'`` or ``'folder'`` (see above).
            Defaults to 'label_key'.
        pipeline (Sequence): Transforms. Defaults to [].
        test_mode (bool): Test/val dataset. Defaults to False.
        require_landmarks (bool): Drop frames without landmarks (needs
            ``with_landmarks``). Defaults to False.
        resample_failed (bool): See :class:`DeepfakeDataset`.
            Defaults to False.
        max_refetch (int): See :class:`DeepfakeDataset`. Defaults to 100.
        metainfo (dict, optional): Extra metainfo.
        lazy_init (bool): See ``BaseDataset``. Defaults to False.
        serialize_data (bool): See ``BaseDataset``. Defaults to True.
        indices (int | Sequence[int], optional): See ``BaseDataset``.
    """

    def __init__(self,
                 json_file: str,
                 dataset_name: str,
                 split: str = 'test',
                 data_root: str = '',
                 compression: str = 'c23',
                 label_map: Optional[Dict[str, int]] = None,
                 label_keys: Optional[Sequence[str]] = None,
                 frame_selection: str = 'deepfakebench',
                 frames_per_video: Optional[int] = 32,
                 lmdb_dir: Optional[str] = None,
                 with_landmarks: bool = False,
                 landmark_points: Optional[int] = None,
                 best_match_file: Optional[str] = None,
                 path_map: Optional[Dict[str, str]] = None,
                 on_missing: str = 'error',
                 method_source: str = 'label_key',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 require_landmarks: bool = False,
                 resample_failed: bool = False,
                 max_refetch: int = 100,
                 metainfo: Optional[dict] = None,
                 lazy_init: bool = False,
                 serialize_data: bool = True,
                 indices: Optional[Union[int, Sequence[int]]] = None) -> None:
        if on_missing not in ON_MISSING:
            raise ValueError(f'on_missing must be one of {ON_MISSING}, got '
                             f'{on_missing!r}')
        if method_source not in METHOD_SOURCES:
            raise ValueError(f'method_source must be one of '
                             f'{METHOD_SOURCES}, got {method_source!r}')
        if frames_per_video is not None and frames_per_video < 1:
            raise ValueError('frames_per_video must be >= 1, got '
                             f'{frames_per_video}')
        if require_landmarks and not with_landmarks:
            raise ValueError('require_landmarks needs with_landmarks=True '
                             '(the landmarks are checked when read)')
        if landmark_points is not None and not with_landmarks:
            raise ValueError('landmark_points needs with_landmarks=True')
        select_frames(1, frames_per_video, frame_selection)  # validates
        self.json_file = json_file
        self.dfb_dataset_name = dataset_name
        self.split = split
        self.compression = compression
        self.label_map = None if label_map is None else dict(label_map)
        self.label_keys = None if label_keys is None else list(label_keys)
        self.frame_selection = frame_selection
        self.frame_cap = frames_per_video
        self.lmdb_dir = lmdb_dir
        self.with_landmarks = with_landmarks
        self.landmark_points = landmark_points
        self.best_match_file = best_match_file
        self.path_map = path_map
        self.on_missing = on_missing
        self.method_source = method_source
        self.missing_frames: List[str] = []
        self.missing_landmarks: List[str] = []
        self._lmdb_style: Dict[str, str] = {}
        super().__init__(
            ann_file=json_file,
            data_root=data_root,
            pipeline=pipeline,
            test_mode=test_mode,
            require_landmarks=require_landmarks,
            frames_per_video=None,
            resample_failed=resample_failed,
            max_refetch=max_refetch,
            metainfo=metainfo,
            lazy_init=lazy_init,
            serialize_data=serialize_data,
            indices=indices)

    def _join_prefix(self) -> None:
        """Keep ``json_file`` as given (not under ``data_root``)."""

    # ------------------------------------------------------------------
    # where a JSON path is read from

    def _locate(self, raw: str) -> Optional[str]:
        """The path (or LMDB URI) of a JSON path, or None if absent."""
        if self.lmdb_dir is None:
            path = resolve_json_path(raw, self.data_root, self.path_map)
            return path if osp.isfile(path) else None
        norm = normalize_json_path(raw)
        if norm.startswith('../') or norm == '..':
            resolve_json_path(raw, '', None)  # raises: escapes the root
        env, key = lmdb_locate(self.lmdb_dir, norm, self._lmdb_style)
        if key is None or not lmdb_has(env, key):
            return None
        return make_lmdb_uri(env, key)

    def _read_landmarks(self, frame_norm: str) -> Optional[np.ndarray]:
        """The 81 landmarks of a frame, or None when absent."""
        lm_norm = sibling_path(frame_norm, 'landmarks', '.npy')
        if self.lmdb_dir is not None:
            env, key = lmdb_locate(self.lmdb_dir, lm_norm, self._lmdb_style)
            buf = None if key is None else lmdb_get(env, key)
            if buf is None:
                return None
            return decode_lmdb_landmarks(buf, f'{key} in {env}')
        path = resolve_json_path(lm_norm, self.data_root, self.path_map)
        if not osp.isfile(path):
            return None
        try:
            lms = np.load(path)
        except (OSError, ValueError) as err:
            raise ValueError(f'cannot read landmark file {path}: '
                             f'{err}') from err
        if lms.ndim != 2 or lms.shape[1] != 2:
            raise ValueError(f'{path}: landmarks must be (N, 2), got '
                             f'{lms.shape}')
        return lms.astype(np.float32)

    # ------------------------------------------------------------------

    def _method(self, label_key: str, norm: str) -> str:
        if self.method_source == 'label_key':
            return label_key
        parts = norm.split('/')
        return '/'.join(parts[1:-3]) if len(parts) > 4 else label_key

    def _video_infos(self, label_key: str, video: str,
                     rec: dict) -> List[dict]:
        """The data infos of one video's kept frames."""
        label = label_of(label_key, self.label_map)
        frames = sorted(rec['frames'], key=frame_index)
        masks = {
            json_basename(m): m
            for m in rec.get('masks') or []
        }
        keep = select_frames(len(frames), self.frame_cap,
                             self.frame_selection)
        infos = []
        for pos in keep:
            raw = frames[pos]
            norm = normalize_json_path(raw)
            path = self._locate(raw)
            if path is None:
                self.missing_frames.append(raw)
                continue
            info = dict(
                img_path=path,
                label=label,
                gt_label=label,
                video_id=f'{self.dfb_dataset_name}/{label_key}/{video}',
                dfb_video_id=dfb_video_name(raw),
                dfb_frame_path=raw,
                frame_idx=frame_index(raw),
                label_key=label_key,
                method=self._method(label_key, norm),
                manipulation=label_key if label else 'original',
                dataset_name=self.dfb_dataset_name,
                landmarks=None)
            mask = masks.get(json_basename(raw))
            if mask is not None:
                info['mask_path'] = self._mask_location(mask)
            if self.with_landmarks:
                info['landmarks'] = self._read_landmarks(norm)
                if info['landmarks'] is None:
                    self.missing_landmarks.append(raw)
                elif self.landmark_points is not None:
                    info['landmarks'] = np.ascontiguousarray(
                        info['landmarks'][:self.landmark_points])
            elif self.lmdb_dir is None:
                info['landmark_path'] = resolve_json_path(
                    sibling_path(norm, 'landmarks', '.npy'), self.data_root,
                    self.path_map)
            infos.append(info)
        return infos

    def _mask_location(self, raw: str) -> str:
        """Where a mask is read (not checked: masks are optional)."""
        if self.lmdb_dir is None:
            return resolve_json_path(raw, self.data_root, self.path_map)
        norm = normalize_json_path(raw)
        env, key = lmdb_locate(self.lmdb_dir, norm, self._lmdb_style)
        key = key or norm
        return make_lmdb_uri(env, key)

    def _report_missing(self) -> None:
        """Raise or warn about the frames that were not found."""
        n = len(self.missing_frames)
        if not n:
            return
        where = self.lmdb_dir or self.data_root or '.'
        listed = '\n  '.join(self.missing_frames[:5])
        msg = (f'{self.json_file} [{self.dfb_dataset_name!r}, '
               f'{self.split!r}]: {n} listed frame(s) not found under '
               f'{where}, e.g.\n  {listed}')
        if self.lmdb_dir is not None and any(
                'video' in normalize_json_path(p)
                for p in self.missing_frames):
            msg += ("\nDeepfakeBench's LMDB writer skips every folder whose "
                    "path contains 'video' (DFDCP's original_videos, all of "
                    'DeeperForensics-1.0): read these from the folders '
                    '(lmdb_dir=None).')
        if self.on_missing == 'error':
            raise FileNotFoundError(
                msg + "\n(on_missing='skip' drops them instead)")
        print_log(msg + '\n(dropped)', logger='current', level=30)

    def _attach_best_match(self, infos: List[dict]) -> None:
        """Fill ``best_match`` from the partner file."""
        with open(self.best_match_file, encoding='utf-8') as f:
            table = json.load(f)
        if not isinstance(table, dict):
            raise ValueError(f'{self.best_match_file}: expected '
                             '{frame path: [partner paths]}')
        for info in infos:
            partners = table.get(info['dfb_frame_path'])
            if partners is None:
                continue
            found = []
            for raw in partners:
                path = self._locate(raw)
                if path is None:
                    raise FileNotFoundError(
                        f'{self.best_match_file}: partner {raw!r} of '
                        f'{info["dfb_frame_path"]!r} not found')
                found.append(path)
            info['best_match'] = found

    def load_data_list(self) -> List[dict]:
        """Read the JSON, select the frames and check every file.

        Returns:
            list[dict]: One data info per kept frame, videos in JSON
            order, frames by their number.
        """
        self.missing_frames, self.missing_landmarks = [], []
        parsed = read_dfb_json(self.json_file, self.dfb_dataset_name,
                               self.split, self.compression, self.label_keys)
        # set here, not passed as metainfo: BaseDataset takes string
        # metainfo values for file names and warns
        self._metainfo.update(
            dataset=self.dfb_dataset_name,
            split=self.split,
            format='deepfakebench',
            layout='nested' if parsed['nested'] else 'flat',
            compression=parsed['compression'] if parsed['nested'] else None)
        infos = []
        for label_key, video, rec in parsed['videos']:
            try:
                infos += self._video_infos(label_key, video, rec)
            except (KeyError, ValueError) as err:
                raise ValueError(
                    f'{self.json_file}: [{self.dfb_dataset_name!r}]'
                    f'[{label_key!r}][{self.split!r}] video {video!r}: '
                    f'{err}') from err
        self._report_missing()
        if self.missing_landmarks:
            print_log(
                f'{self.json_file}: {len(self.missing_landmarks)} frame(s) '
                f'without landmarks, e.g. {self.missing_landmarks[0]}',
                logger='current',
                level=30)
        if self.best_match_file is not None:
            self._attach_best_match(infos)
        if not infos:
            raise ValueError(
                f'{self.json_file}: no frame in [{self.dfb_dataset_name!r}] '
                f'split {self.split!r}'
                + (f' (label keys {self.label_keys})'
                   if self.label_keys else ''))
        return infos

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """Data infos are built whole by :meth:`load_data_list`."""
        return raw_data_info
