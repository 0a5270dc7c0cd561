# Copyright (c) laanet contributors. All rights reserved.
"""Decode a test set's images once and reuse them across many runs.

The decode cache of ``tools/analysis_tools/test_robustness.py``: the test
pipeline is split after its ``LoadImageFromFile``, each image is decoded once
(within a byte budget) and every perturbation setting runs the rest of the
pipeline on a copy.
"""
import copy
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
from mmcv.transforms import LoadImageFromFile
from mmengine.dataset import Compose

from laanet.datasets.transforms import LoadClipFrames


def split_loading(transforms: Sequence[Callable]) -> int:
    """Where the image loading ends in a pipeline.

    Args:
        transforms (Sequence[Callable]): Built transforms.

    Returns:
        int: The index after the first :class:`LoadImageFromFile` or
        :class:`~laanet.datasets.transforms.LoadClipFrames` (the T frames
        of a clip).

    Raises:
        ValueError: If the pipeline loads no image.
    """
    for i, t in enumerate(transforms):
        if isinstance(t, (LoadImageFromFile, LoadClipFrames)):
            return i + 1
    raise ValueError('The test pipeline has no LoadImageFromFile: a '
                     'perturbation needs to know where the image is loaded '
                     f'(pipeline: {[type(t).__name__ for t in transforms]}).')


class CachedLoading:
    """The loading part of a pipeline, decoding each image only once.

    A plain callable (not a config transform: it holds the decoded
    images). The first call on an ``img_path`` runs the loading
    transforms; later calls return a copy of their output, up to
    ``max_bytes`` of images (beyond, images are decoded every time).

    Args:
        loading (Sequence[Callable]): The pipeline's transforms up to and
            including the image loading.
        max_bytes (int): The cache's budget. Defaults to 2 GiB.
    """

    def __init__(self, loading: Sequence[Callable],
                 max_bytes: int = 2 << 30) -> None:
        self.loading = Compose(list(loading))
        self.max_bytes = max_bytes
        self.cache: Dict[str, dict] = {}
        self.num_bytes = 0

    def fill(self, data_infos: List[dict],
             progress: Optional[Callable] = None) -> None:
        """Decode ``data_infos`` now (before DataLoader workers fork).

        Args:
            data_infos (list[dict]): The dataset's data infos.
            progress (Callable, optional): Called once per image.
        """
        for info in data_infos:
            self(copy.deepcopy(info))
            if progress is not None:
                progress()

    def __call__(self, results: dict) -> dict:
        """Load ``results['img_path']``, from the cache when it is there.

        Args:
            results (dict): A data info.

        Returns:
            dict: What the loading transforms return for it.
        """
        key = results.get('img_path')
        if isinstance(key, list):  # a clip: its T frame paths
            key = tuple(key)
        hit = self.cache.get(key)
        if hit is not None:
            out = dict(results)
            out.update(copy.deepcopy(hit))
            return out
        results = self.loading(results)
        if (results is not None and key is not None
                and self.num_bytes < self.max_bytes):
            self.cache[key] = copy.deepcopy(results)
            self.num_bytes += int(np.asarray(results['img']).nbytes)
        return results
