# Copyright (c) laanet contributors. All rights reserved.
"""Nearest faces by landmarks, for Blended Images (BI / Face X-ray)."""
from collections import Counter
from typing import List, Optional, Sequence

import numpy as np


def normalize_landmarks(landmarks: np.ndarray) -> np.ndarray:
    """Remove translation and scale from landmark sets.

    Args:
        landmarks (np.ndarray): (N, P, 2).

    Returns:
        np.ndarray: (N, 2P) centred sets with unit Frobenius norm.
    """
    lms = np.asarray(landmarks, dtype=np.float64)
    lms = lms - lms.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(lms.reshape(len(lms), -1), axis=1)
    norm[norm == 0] = 1.
    return (lms.reshape(len(lms), -1) / norm[:, None]).astype(np.float32)


def search_similar(landmarks: np.ndarray, video_ids: Sequence[str],
                   k: int = 30) -> List[List[int]]:
    """For each face, the ``k`` nearest faces of *other* videos.

    Uses scikit-learn's exact nearest-neighbour index on the normalised
    landmarks (the official script compares against a random subsample
    of 10,000 faces and fails on smaller sets).

    Args:
        landmarks (np.ndarray): (N, P, 2).
        video_ids (Sequence[str]): Video of each face.
        k (int): Neighbours per face. Defaults to 30.

    Returns:
        list[list[int]]: Indices into the input, nearest first; shorter
        than ``k`` only when fewer faces from other videos exist.
    """
    from sklearn.neighbors import NearestNeighbors
    n = len(landmarks)
    if n == 0:
        return []
    if len(video_ids) != n:
        raise ValueError('landmarks and video_ids differ in length')
    feats = normalize_landmarks(landmarks)
    vids = np.asarray(video_ids)
    index = NearestNeighbors().fit(feats)
    largest_video = max(Counter(video_ids).values())
    # Enough neighbours to skip every face of the query's own video.
    query = min(n, k + largest_video)
    _, nbrs = index.kneighbors(feats, n_neighbors=query)
    out = []
    for i in range(n):
        keep = [int(j) for j in nbrs[i] if vids[j] != vids[i]]
        out.append(keep[:k])
    return out


def add_best_match(ann: dict,
                   k: int = 30,
                   labels: Optional[Sequence[int]] = (0, )) -> dict:
    """Write ``best_match`` into an annotation dict (in place).

    Args:
        ann (dict): Annotation with ``data_list``.
        k (int): Neighbours per face. Defaults to 30.
        labels (Sequence[int], optional): Only faces with these labels are
            searched and matched (BI blends real faces: ``(0,)``). None
            uses all.

    Returns:
        dict: Counts: ``searched``, ``without_landmarks``, ``k``.
    """
    entries = ann['data_list']
    pool = [
        i for i, e in enumerate(entries)
        if e.get('landmarks') and (labels is None or e['label'] in labels)
    ]
    skipped = 0
    for e in entries:
        if labels is None or e['label'] in labels:
            e['best_match'] = []
            skipped += not e.get('landmarks')
    if pool:
        sizes = {len(entries[i]['landmarks']) for i in pool}
        if len(sizes) != 1:
            raise ValueError(f'Landmark sets of different sizes {sizes}')
        lms = np.array([entries[i]['landmarks'] for i in pool])
        vids = [entries[i]['video_id'] for i in pool]
        for qi, nb in zip(pool, search_similar(lms, vids, k)):
            entries[qi]['best_match'] = [
                entries[pool[j]]['img_path'] for j in nb
            ]
    ann.setdefault('metainfo', {})['best_match_k'] = k
    return dict(searched=len(pool), without_landmarks=skipped, k=k)
