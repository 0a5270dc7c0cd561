# Copyright (c) laanet contributors. All rights reserved.
"""The dataset that reads the toolbox's face annotation files."""
import multiprocessing as mp
import os.path as osp
from typing import Callable, List, Optional, Sequence, Union

import numpy as np
from mmengine.dataset import BaseDataset
from mmengine.logging import MMLogger, print_log

from laanet.registry import DATASETS
from laanet.utils.grouping import group_indices
from laanet.utils.media import sample_frame_indices
from .clip_index import ClipIndex, ClipKey, clip_info


class SharedCounter:
    """An integer shared with dataloader worker processes.

    Deep copies share it (``BaseDataset.get_subset`` deep-copies the
    dataset), and it travels to spawned workers with the dataset.

    Args:
        value (multiprocessing.Value, optional): An existing counter.
    """

    def __init__(self, value=None) -> None:
        self._value = value if value is not None else mp.Value('i', 0)

    def __deepcopy__(self, memo: dict) -> 'SharedCounter':
        return self

    def __reduce__(self):
        return SharedCounter, (self._value, )

    @property
    def value(self) -> int:
        """The current count."""
        return self._value.value

    def increment(self) -> None:
        """Add one."""
        with self._value.get_lock():
            self._value.value += 1

    def pop(self) -> int:
        """Return the count and reset it to zero."""
        with self._value.get_lock():
            n = self._value.value
            self._value.value = 0
        return n


@DATASETS.register_module()
class DeepfakeDataset(BaseDataset):
    """Face frames listed in an annotation file.

    The annotation file is an MMEngine ``BaseDataset`` JSON written by
    ``tools/dataset_converters/extract_landmarks.py``::

        {"metainfo": {"dataset": "FF++", "split": "train", ...},
         "data_list": [{"img_path": "frames/Deepfakes/000_003/000.png",
                        "video_id": "Deepfakes/000_003", "frame_idx": 0,
                        "label": 1, "manipulation": "Deepfakes",
                        "landmarks": [[x, y], ...] | null,
                        "landmark_path": "...npy", "mask_path": "...",
                        "best_match": ["...png", ...]}, ...]}

    ``img_path``, ``landmark_path``, ``mask_path`` and every
    ``best_match`` entry are resolved against ``data_root``. Each data
    info also carries ``gt_label`` (0 real, 1 fake), ``dataset_name``, and
    ``landmarks`` as a float32 (P, 2) array or None.

    Frame sampling: in test mode, ``frames_per_video=N`` keeps N evenly
    spaced frames of each video (deterministic; the official code draws
    32 with replacement). Training draws a fresh subset every epoch with
    :class:`VideoFrameSampler`; ``frames_per_video`` is refused in
    training mode so that a fixed subset is never mistaken for that.

    Clip mode (``clip_len=T``, FakeSTormer): an item is a clip of ``T``
    consecutive frames of one video (:mod:`laanet.datasets.clip_index`):
    the frames of each video in natural path order, cut into
    non-overlapping ``T``-frame chunks from frame 0, the incomplete tail
    dropped. ``len`` counts those clips and ``dataset[i]`` is clip ``i``;
    ``dataset[(video, start)]`` is the chunk of ``video`` starting at its
    frame ``start`` (what :class:`ClipSampler` yields when it re-chunks
    every epoch). A clip's info holds lists of the per-frame entries
    (``img_path``, ``landmarks``, ...), ``frame_indices``, ``frame_idx``
    (the first frame's) and the largest frame label (the official clip
    label). ``indices`` selects frames before the chunking.

    Args:
        ann_file (str): Annotation file.
        data_root (str): Root of the relative paths. Defaults to ''.
        pipeline (Sequence): Transforms. Defaults to [].
        test_mode (bool): Test/val dataset. Defaults to False.
        require_landmarks (bool): Drop frames whose landmarks are null
            (needed by the synthesis transforms). Defaults to False.
        frames_per_video (int, optional): See above. Defaults to None.
        resample_failed (bool): When the pipeline raises on a sample, log
            the file and error, count it, and use another random sample
            instead (at most ``max_refetch`` times); the count of the
            epoch is logged by :class:`VideoFrameSampler` at each epoch
            start. If False, the error propagates with the file name.
            Defaults to False.
        max_refetch (int): Retries per item. Defaults to 100.
        clip_len (int, optional): Clip mode with ``T = clip_len`` frames
            per item (see above); None gives frame items. Defaults to None.
        metainfo (dict, optional): Overrides the file's metainfo.
        lazy_init (bool): See ``BaseDataset``. Defaults to False.
        serialize_data (bool): See ``BaseDataset``. Defaults to True.
        indices (int | Sequence[int], optional): See ``BaseDataset``.
    """

    METAINFO = dict(classes=('real', 'fake'))

    def __init__(self,
                 ann_file: str,
                 data_root: str = '',
                 pipeline: Sequence[Union[dict, Callable]] = (),
                 test_mode: bool = False,
                 require_landmarks: bool = False,
                 frames_per_video: Optional[int] = None,
                 resample_failed: bool = False,
                 max_refetch: int = 100,
                 metainfo: Optional[dict] = None,
                 lazy_init: bool = False,
                 serialize_data: bool = True,
                 indices: Optional[Union[int, Sequence[int]]] = None,
                 clip_len: Optional[int] = None) -> None:
        if clip_len is not None:
            if clip_len < 1:
                raise ValueError(f'clip_len must be >= 1, got {clip_len}')
            if frames_per_video is not None:
                raise ValueError(
                    'clip_len and frames_per_video cannot be combined: clips '
                    'are consecutive frames; leave frames_per_video=None')
        self.clip_len = clip_len
        self._clip_index: Optional[ClipIndex] = None
        self._clips: List[ClipKey] = []
        if frames_per_video is not None:
            if not test_mode:
                raise ValueError(
                    'frames_per_video is for test/val datasets (a fixed, '
                    'evenly spaced subset). For training use '
                    "sampler=dict(type='VideoFrameSampler', "
                    'frames_per_video=N), which redraws frames every epoch.')
            if frames_per_video < 1:
                raise ValueError('frames_per_video must be >= 1, got '
                                 f'{frames_per_video}')
        self.require_landmarks = require_landmarks
        self.frames_per_video = frames_per_video
        self.resample_failed = resample_failed
        # Shared with dataloader worker processes (fork and spawn).
        self._failed_counter = SharedCounter()
        self._video_ids: Optional[List[str]] = None
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=dict(img_path=''),
            filter_cfg=None,
            indices=indices,
            serialize_data=serialize_data,
            pipeline=list(pipeline),
            test_mode=test_mode,
            lazy_init=lazy_init,
            max_refetch=max_refetch)

    def _join(self, path: Optional[str]) -> Optional[str]:
        """Resolve a path of the annotation against ``data_root``."""
        if path is None:
            return None
        return osp.join(self.data_root, path) if self.data_root else path

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """Resolve paths and convert landmarks and the label.

        Args:
            raw_data_info (dict): One ``data_list`` entry.

        Returns:
            dict: The data info.
        """
        for key in ('img_path', 'video_id', 'label'):
            if key not in raw_data_info:
                raise KeyError(
                    f'{self.ann_file}: an entry lacks {key!r}: '
                    f'{str(raw_data_info)[:200]}')
        info = dict(raw_data_info)
        info['img_path'] = self._join(info['img_path'])
        for key in ('landmark_path', 'mask_path', 'orig_img_path'):
            if info.get(key) is not None:
                info[key] = self._join(info[key])
        if info.get('best_match') is not None:
            info['best_match'] = [self._join(p) for p in info['best_match']]
        label = int(info['label'])
        if label not in (0, 1):
            raise ValueError(f'{self.ann_file}: label must be 0 or 1, got '
                             f'{label} for {info["img_path"]}')
        info['gt_label'] = label
        info['frame_idx'] = int(info.get('frame_idx', -1))
        info.setdefault('manipulation', 'fake' if label else 'original')
        info['dataset_name'] = self._metainfo.get('dataset')
        for key in ('landmarks', 'orig_landmarks'):
            lms = info.get(key)
            if lms is not None:
                info[key] = np.asarray(lms, dtype=np.float32).reshape(-1, 2)
        return info

    def filter_data(self) -> List[dict]:
        """Drop frames without landmarks (``require_landmarks``) and keep
        ``frames_per_video`` evenly spaced frames per video (test mode).

        Returns:
            list[dict]: The kept data infos, in file order.
        """
        data = self.data_list
        if self.require_landmarks:
            data = [
                d for d in data if d.get('landmarks') is not None
                or d.get('landmark_path') is not None
            ]
        if self.frames_per_video is not None:
            groups = group_indices(d['video_id'] for d in data)
            keep = []
            for idxs in groups.values():
                idxs = sorted(idxs, key=lambda i: data[i]['frame_idx'])
                positions = sample_frame_indices(
                    len(idxs), self.frames_per_video)
                keep += [idxs[p] for p in positions]
            data = [data[i] for i in sorted(keep)]
        return data

    def full_init(self) -> None:
        """Load, filter, slice, remember video ids, serialize."""
        if self._fully_initialized:
            return
        # BaseDataset.full_init, keeping the video ids before the data
        # list is serialized (reading them back would unpickle every
        # entry).
        self.data_list = self.load_data_list()
        self.data_list = self.filter_data()
        if self._indices is not None:
            self.data_list = self._get_unserialized_subset(self._indices)
        self._video_ids = [d['video_id'] for d in self.data_list]
        if self.clip_len is not None:
            self._clip_index = ClipIndex(
                self._video_ids, [d['img_path'] for d in self.data_list],
                self.clip_len)
            self._clips = self._clip_index.chunks()
            self._video_ids = [
                self._clip_index.video_ids[v] for v, _ in self._clips
            ]
        if self.serialize_data:
            self.data_bytes, self.data_address = self._serialize_data()
        self._fully_initialized = True

    def __len__(self) -> int:
        """Number of items: frames, or clips in clip mode."""
        if self.clip_len is None:
            return super().__len__()
        if not self._fully_initialized:
            self.full_init()
        return len(self._clips)

    @property
    def clip_index(self) -> ClipIndex:
        """The videos and their chunks (clip mode only)."""
        if self.clip_len is None:
            raise AttributeError(
                'clip_index exists in clip mode only (set clip_len)')
        if not self._fully_initialized:
            self.full_init()
        return self._clip_index

    def get_data_info(self, idx: Union[int, ClipKey]) -> dict:
        """The info of a frame, or of a clip in clip mode.

        Args:
            idx (int | tuple[int, int]): An item index, or in clip mode a
                clip key ``(video, start)``.

        Returns:
            dict: The (clip) data info.
        """
        if self.clip_len is None:
            return super().get_data_info(idx)
        if not self._fully_initialized:
            self.full_init()
        key = idx if isinstance(idx, tuple) else self._clips[idx]
        positions = self._clip_index.positions(key)
        return clip_info(
            [super(DeepfakeDataset, self).get_data_info(p) for p in positions],
            start=key[1])

    def get_video_ids(self) -> List[str]:
        """The video id of every sample, in index order.

        Returns:
            list[str]: ``len(self)`` ids.
        """
        if self._video_ids is None or len(self._video_ids) != len(self):
            self._video_ids = [
                self.get_data_info(i)['video_id'] for i in range(len(self))
            ]
        return self._video_ids

    @property
    def failed_count(self) -> int:
        """Samples that failed and were resampled since the last reset."""
        return self._failed_counter.value

    def pop_failed_count(self) -> int:
        """Return the failure count and reset it to zero.

        Returns:
            int: The count before the reset.
        """
        return self._failed_counter.pop()

    def __getitem__(self, idx: int) -> dict:
        """Run the pipeline on sample ``idx``.

        With ``resample_failed``, a sample whose pipeline raises (or
        returns None in training) is replaced by a random other one.

        Args:
            idx (int): Sample index.

        Returns:
            dict: The pipeline output.
        """
        if not self._fully_initialized:
            self.full_init()
        for _ in range(self.max_refetch + 1):
            try:
                data = self.prepare_data(idx)
            except Exception as e:
                path = self.get_data_info(idx).get('img_path')
                if not self.resample_failed:
                    raise RuntimeError(
                        f'The pipeline failed on {path} (index {idx}): '
                        f'{type(e).__name__}: {e}') from e
                self._failed_counter.increment()
                print_log(
                    f'resampling after a failure on {path} (index {idx}): '
                    f'{type(e).__name__}: {e}',
                    logger='current', level=30)
                idx = self._rand_another()
                continue
            if data is None:
                if self.test_mode:
                    path = self.get_data_info(idx).get('img_path')
                    raise RuntimeError(
                        f'The test pipeline returned None for {path}')
                idx = self._rand_another()
                continue
            return data
        raise RuntimeError(
            f'No valid sample after {self.max_refetch} retries; check the '
            f'files of {self.ann_file} and the pipeline')

    def log_failed_count(self, epoch: int,
                         logger: Optional[MMLogger] = None) -> int:
        """Log and reset the failure count of the epoch that ended.

        Args:
            epoch (int): The epoch the count belongs to.
            logger (MMLogger, optional): Defaults to the current logger.

        Returns:
            int: The count.
        """
        n = self.pop_failed_count()
        if self.resample_failed:
            logger = logger or MMLogger.get_current_instance()
            logger.info(f'DeepfakeDataset({osp.basename(self.ann_file)}): '
                        f'{n} samples failed in epoch {epoch} and were '
                        'resampled')
        return n
