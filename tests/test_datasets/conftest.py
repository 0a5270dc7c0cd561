# Copyright (c) laanet contributors. All rights reserved.
"""A real face for the data tests: the astronaut, with dlib landmarks."""
import os.path as osp
import types

import cv2
import numpy as np
import pytest

from laanet.datasets.transforms.functional.blend_utils import HULL_TYPES
from laanet.datasets.transforms.functional.landmark_utils import \
    FOREHEAD_CONTOUR_ORDER
from laanet.utils.demo_media import astronaut_face_crop


@pytest.fixture(scope='session')
def astronaut_face():
    """A 256×256 BGR face crop of ``skimage.data.astronaut()``.

    Returns:
        tuple[np.ndarray, np.ndarray]: The BGR uint8 crop and its 68 dlib
        landmarks (x, y) in crop coordinates, computed once per session.
    """
    img, lms = astronaut_face_crop()
    img.setflags(write=False)
    lms.setflags(write=False)
    return img, lms


@pytest.fixture(scope='session')
def official_sbi_hulls():
    """The official LAA-Net ``random_get_hull`` of the astronaut's face.

    ``tests/data/official_sbi_hulls.npz`` (README there): the four hull
    types from 68 and from 81 landmarks (forehead points in contour order).

    Returns:
        tuple[dict, dict]: ``{68: lms, 81: lms}`` float32 landmarks and
        ``{(num_points, hull_type): (256, 256) uint8 0/1 hull}``.
    """
    path = osp.join(osp.dirname(__file__), '..', 'data',
                    'official_sbi_hulls.npz')
    with np.load(path) as z:
        shape = tuple(z['shape'])
        lms = {n: z[f'lms{n}'] for n in (68, 81)}
        hulls = {(n, t): np.unpackbits(z[f'bits_lms{n}_{t}'])
                 [:shape[0] * shape[1]].reshape(shape)
                 for n in (68, 81) for t in HULL_TYPES}
    return lms, hulls


@pytest.fixture
def face_results(astronaut_face):
    """A fresh pipeline result dict holding the astronaut face."""
    img, lms = astronaut_face
    return dict(
        img=img.copy(),
        img_path='astronaut.png',
        img_shape=img.shape[:2],
        ori_shape=img.shape[:2],
        landmarks=np.array(lms, dtype=np.float32),
        video_id='demo/astronaut',
        frame_idx=0,
        label=0,
        manipulation='original',
        dataset_name='demo')


def add_forehead(lms: np.ndarray) -> np.ndarray:
    """68 landmarks + 13 synthetic forehead points in dlib-81 raw order.

    The points lie on a half-ellipse from jaw point 0 over the brows to
    jaw point 16, rising 0.55 × the half face width above the brows.
    """
    lms = np.asarray(lms, dtype=np.float64)
    left, right = lms[0], lms[16]
    cx, half = (left[0] + right[0]) / 2, (right[0] - left[0]) / 2
    base = (left[1] + right[1]) / 2
    rise = base - lms[17:27, 1].min() + 0.55 * half
    angles = np.linspace(np.pi, 0, 13)
    contour = np.stack(
        [cx + half * np.cos(angles), base - rise * np.sin(angles)], 1)
    forehead = np.zeros((13, 2))
    forehead[np.array(FOREHEAD_CONTOUR_ORDER) - 68] = contour
    return np.concatenate([lms, forehead]).astype(np.float32)


def synthetic_face_clip(img: np.ndarray, lms: np.ndarray, seed: int,
                        num_frames: int = 4):
    """A clip of a moving face and its tracked landmarks, from one seed.

    Frame t is ``img`` scaled by ``1 + s·t`` about its centre and shifted
    by ``v·t`` (bilinear, reflected border), with ``v ~ U(−1.5, 1.5)²`` px
    and ``s ~ U(−0.01, 0.01)``; its landmarks are the same map of ``lms``
    plus N(0, 0.5²) px tracker noise, and with p = 0.3 one frame t ≥ 1
    gets a tracker jump: all points shifted by ``U(−6, 6)²`` px (which
    FakeSTormer's jump damping sees). Every draw is made whatever its use,
    in this order, from ``RandomState(seed)``.

    Args:
        img (np.ndarray): (H, W, 3) uint8 frame.
        lms (np.ndarray): (N, 2) landmarks of ``img``.
        seed (int): Clip seed.
        num_frames (int): T. Defaults to 4.

    Returns:
        tuple[list[np.ndarray], np.ndarray]: T frames and (T, N, 2)
        float32 landmarks.
    """
    rs = np.random.RandomState(seed)
    velocity = rs.uniform(-1.5, 1.5, 2)
    zoom = rs.uniform(-0.01, 0.01)
    noise = rs.normal(0, 0.5, (num_frames, ) + np.shape(lms))
    jump_on = rs.rand() < 0.3
    jump_at = rs.randint(1, num_frames)
    jump = rs.uniform(-6, 6, 2)
    h, w = img.shape[:2]
    centre = np.array([(w - 1) / 2, (h - 1) / 2])
    frames, tracks = [], []
    for t in range(num_frames):
        scale = 1 + zoom * t
        offset = centre - scale * centre + velocity * t
        mat = np.array([[scale, 0, offset[0]], [0, scale, offset[1]]])
        frames.append(
            cv2.warpAffine(img, mat, (w, h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REFLECT_101))
        track = scale * np.asarray(lms, np.float64) + offset + noise[t]
        if jump_on and t == jump_at:
            track = track + jump
        tracks.append(track)
    return frames, np.stack(tracks).astype(np.float32)


@pytest.fixture(scope='session')
def face_clips():
    """The synthetic-clip helpers: ``add_forehead``, ``synthetic_face_clip``.

    Returns:
        types.SimpleNamespace: The two functions above.
    """
    return types.SimpleNamespace(
        add_forehead=add_forehead, synthetic_face_clip=synthetic_face_clip)


@pytest.fixture
def clip_results(astronaut_face):
    """A fresh result dict holding a 4-frame moving astronaut clip.

    Returns:
        dict: ``img`` (list of 4 BGR 256-px frames), ``landmarks``
        (4, 81, 2), ``img_path`` (list), ``video_id``, ``frame_idx``.
    """
    img, lms = astronaut_face
    frames, tracks = synthetic_face_clip(img, add_forehead(lms), seed=0)
    return dict(
        img=frames,
        landmarks=tracks,
        img_path=[f'clip/{t:03d}.png' for t in range(4)],
        video_id='demo/astronaut',
        frame_idx=0,
        frame_indices=np.arange(4))
