# Copyright (c) laanet contributors. All rights reserved.
"""Nearest faces by landmarks, for Blended Images (BI / Face X-ray)."""
from collections import Counter
from typing import List, Optional, Sequence

import numpy as np

SEARCH_METHODS = ('official', 'aligned')


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


def search_similar_official(landmarks: np.ndarray,
                            video_ids: Sequence[str],
                            k: int = 30,
                            num_candidates: int = 10000,
                            seed: int = 0) -> List[List[int]]:
    """For each face, the ``k`` nearest of a random sample, as LAA-Net.

    The official partner search (``search_similar_face``): for every face
    a fresh uniform sample of ``num_candidates`` faces, those of the same
    video and those with all-zero landmarks dropped, ranked by the **sum
    over the points of the per-point Euclidean distance** on the raw
    landmark coordinates (no alignment: faces at the same place and size
    in the crop win). A face with all-zero landmarks gets no partner. The
    official script raises on sets smaller than ``num_candidates``; here
    such sets use every face.

    Args:
        landmarks (np.ndarray): (N, P, 2).
        video_ids (Sequence[str]): Video of each face.
        k (int): Neighbours per face. Defaults to 30.
        num_candidates (int): Faces sampled per query. Defaults to 10000.
        seed (int): Seed of the sampling. Defaults to 0.

    Returns:
        list[list[int]]: Indices into the input, nearest first (ties in
        sample order).
    """
    lms = np.asarray(landmarks, dtype=np.float64)
    # the official code casts the candidates (not the query) to float32
    cands = lms.astype(np.float32).astype(np.float64)
    n = len(lms)
    if len(video_ids) != n:
        raise ValueError('landmarks and video_ids differ in length')
    vids = np.asarray(video_ids)
    valid = lms.reshape(n, -1).any(axis=1)
    rng = np.random.RandomState(seed)
    out = []
    for i in range(n):
        if n > num_candidates:
            cand = rng.choice(n, num_candidates, replace=False)
        else:
            cand = np.arange(n)
        if not valid[i]:
            out.append([])
            continue
        cand = cand[(vids[cand] != vids[i]) & valid[cand]]
        dist = np.linalg.norm(cands[cand] - lms[i], axis=2).sum(axis=1)
        out.append(cand[np.argsort(dist, kind='stable')[:k]].tolist())
    return out


def search_similar(landmarks: np.ndarray, video_ids: Sequence[str],
                   k: int = 30) -> List[List[int]]:
    """For each face, the ``k`` nearest faces of *other* videos, aligned.

    Uses scikit-learn's exact nearest-neighbour index on the normalised
    landmarks (translation and scale removed), over every face: a
    deviation from the official search (:func:`search_similar_official`),
    chosen with ``add_best_match(method='aligned')``.

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
                   labels: Optional[Sequence[int]] = (0, ),
                   method: str = 'official',
                   num_candidates: int = 10000,
                   seed: int = 0) -> dict:
    """Write ``best_match`` into an annotation dict (in place).

    Args:
        ann (dict): Annotation with ``data_list``.
        k (int): Neighbours per face. Defaults to 30.
        labels (Sequence[int], optional): Only faces with these labels are
            searched and matched (BI blends real faces: ``(0,)``). None
            uses all.
        method (str): ``'official'`` (:func:`search_similar_official`:
            raw landmarks, summed point distances, ``num_candidates``
            random faces per query) or ``'aligned'`` (:func:`search_similar`:
            translation and scale removed, every face; a deviation).
            Defaults to ``'official'``.
        num_candidates (int): Faces sampled per query (``'official'``).
            Defaults to 10000.
        seed (int): Seed of the sampling (``'official'``). Defaults to 0.

    Returns:
        dict: Counts: ``searched``, ``without_landmarks``, ``k``.
    """
    if method not in SEARCH_METHODS:
        raise ValueError(f'method must be one of {SEARCH_METHODS}, got '
                         f'{method!r}.')
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
        if method == 'official':
            found = search_similar_official(lms, vids, k, num_candidates,
                                            seed)
        else:
            found = search_similar(lms, vids, k)
        for qi, nb in zip(pool, found):
            entries[qi]['best_match'] = [
                entries[pool[j]]['img_path'] for j in nb
            ]
    meta = ann.setdefault('metainfo', {})
    meta.update(best_match_k=k, best_match_method=method)
    return dict(searched=len(pool), without_landmarks=skipped, k=k)
