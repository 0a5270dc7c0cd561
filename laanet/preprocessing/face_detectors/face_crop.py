# Copyright (c) laanet contributors. All rights reserved.
"""Choosing the face of a frame and cropping it with a margin.

Shared by the extraction tool and by inference, so that both see the same
crops.
"""
from typing import Optional, Sequence, Tuple, Union

import cv2
import numpy as np


def select_best_face(boxes: np.ndarray) -> Optional[np.ndarray]:
    """Pick the largest face, ties broken by the higher score.

    The official crop script keeps a face only if it is larger *and*
    scores higher than the current best, so its pick depends on the
    detection order; this one does not.

    Args:
        boxes (np.ndarray): (K, 5) ``[x0, y0, x1, y1, score]``.

    Returns:
        np.ndarray | None: The chosen row (5,), or None when K is 0.
    """
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 5)
    if len(boxes) == 0:
        return None
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    order = np.lexsort((-boxes[:, 4], -area))
    return boxes[order[0]]


def margin_crop_window(box: np.ndarray,
                       img_shape: Tuple[int, int],
                       margin: float = 1.25,
                       square: bool = True) -> Tuple[int, int, int, int]:
    """The window around a face box, in image coordinates.

    The window is ``margin`` times the box, centred on it (``1.5`` is the
    official crop: 25% of the box added on each side; ``1.25`` is SBI's).
    With ``square=True`` the window is a square of side
    ``margin * max(w, h)``, so resizing it keeps the aspect ratio (the
    official crop stretches). A window that crosses the image border is
    shifted back inside when the image is large enough; otherwise the
    part outside the image is padded with zeros by :func:`crop_face`.

    Args:
        box (np.ndarray): ``[x0, y0, x1, y1, ...]``.
        img_shape (tuple[int, int]): Image (H, W).
        margin (float): Window size relative to the box. Defaults to 1.25.
        square (bool): Square window. Defaults to True.

    Returns:
        tuple[int, int, int, int]: ``(x0, y0, x1, y1)``; may extend
        outside the image.
    """
    if margin <= 0:
        raise ValueError(f'margin must be positive, got {margin}')
    h, w = img_shape[:2]
    x0, y0, x1, y1 = [float(v) for v in box[:4]]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw, bh = (x1 - x0) * margin, (y1 - y0) * margin
    if square:
        bw = bh = max(bw, bh)
    bw, bh = max(1, int(round(bw))), max(1, int(round(bh)))
    wx0 = int(round(cx - bw / 2))
    wy0 = int(round(cy - bh / 2))
    # Shift the window inside the image where the image is large enough.
    if bw <= w:
        wx0 = min(max(wx0, 0), w - bw)
    if bh <= h:
        wy0 = min(max(wy0, 0), h - bh)
    return wx0, wy0, wx0 + bw, wy0 + bh


def crop_window(img: np.ndarray, window: Tuple[int, int, int, int],
                size: Optional[int] = None,
                interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    """Cut a window out of an image, zero padded, optionally resized.

    Args:
        img (np.ndarray): (H, W) or (H, W, C) image.
        window (tuple): ``(x0, y0, x1, y1)``, may cross the border.
        size (int, optional): Output side; None keeps the window size.
        interpolation (int): cv2 flag for resizing.

    Returns:
        np.ndarray: The crop.
    """
    h, w = img.shape[:2]
    x0, y0, x1, y1 = window
    out = np.zeros((y1 - y0, x1 - x0) + img.shape[2:], dtype=img.dtype)
    sx0, sy0 = max(x0, 0), max(y0, 0)
    sx1, sy1 = min(x1, w), min(y1, h)
    if sx1 > sx0 and sy1 > sy0:
        out[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = img[sy0:sy1, sx0:sx1]
    if size is not None and out.shape[:2] != (size, size):
        out = cv2.resize(out, (size, size), interpolation=interpolation)
    return out


def crop_face(img: np.ndarray,
              box: np.ndarray,
              margin: float = 1.25,
              size: Optional[int] = 256,
              square: bool = True,
              mask: Optional[np.ndarray] = None) -> dict:
    """Crop a face with a margin and resize it.

    Args:
        img (np.ndarray): BGR uint8 frame.
        box (np.ndarray): Face ``[x0, y0, x1, y1, ...]``.
        margin (float): See :func:`margin_crop_window`. Defaults to 1.25.
        size (int, optional): Output side in pixels. Defaults to 256.
        square (bool): See :func:`margin_crop_window`. Defaults to True.
        mask (np.ndarray, optional): A mask frame of the same size, cropped
            with the same window (nearest-neighbour resize).

    Returns:
        dict: ``img`` (the crop), ``mask`` (or None), ``window`` (x0, y0,
        x1, y1 in the frame) and ``box`` (the face box in crop pixels).
    """
    window = margin_crop_window(box, img.shape, margin, square)
    crop = crop_window(img, window, size)
    out_mask = None
    if mask is not None:
        if mask.shape[:2] != img.shape[:2]:
            raise ValueError(f'mask shape {mask.shape[:2]} differs from the '
                             f'frame shape {img.shape[:2]}')
        out_mask = crop_window(mask, window, size, cv2.INTER_NEAREST)
    face = box_in_crop(box, window, crop.shape[:2])
    return dict(img=crop, mask=out_mask, window=window, box=face)


def box_in_crop(box: Sequence[float], window: Sequence[int],
                crop_hw: Union[int, Tuple[int, int]]) -> np.ndarray:
    """A frame box in the pixels of a crop cut from ``window``.

    Args:
        box (Sequence[float]): ``[x0, y0, x1, y1, ...]`` in the frame.
        window (Sequence[int]): The crop's ``(x0, y0, x1, y1)`` in the
            frame.
        crop_hw (int | tuple[int, int]): The crop's (H, W) (an int: a
            square crop).

    Returns:
        np.ndarray: ``(x0, y0, x1, y1)`` float32, in crop pixels.
    """
    if isinstance(crop_hw, int):
        crop_hw = (crop_hw, crop_hw)
    x0, y0, x1, y1 = window
    sx = crop_hw[1] / (x1 - x0)
    sy = crop_hw[0] / (y1 - y0)
    return np.array([(box[0] - x0) * sx, (box[1] - y0) * sy,
                     (box[2] - x0) * sx, (box[3] - y0) * sy],
                    dtype=np.float32)
