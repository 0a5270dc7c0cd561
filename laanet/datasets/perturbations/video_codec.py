# Copyright (c) laanet contributors. All rights reserved.
"""DF1 "VC" on one image: an H.264 intra frame through a real encoder.

Videos are re-encoded whole with
:func:`laanet.utils.media.reencode_video` (the reference's
``ffmpeg -i IN -crf P -y OUT``); a face crop or a still gets this
single-frame approximation.
"""
import numpy as np

from laanet.utils.media.ffmpeg import ffmpeg_exe, run_ffmpeg


def h264_round_trip(img: np.ndarray, crf: int,
                    name: str = '<array>') -> np.ndarray:
    """Encode one BGR frame as H.264 (yuv420p) at ``crf`` and decode it.

    The crop protocol's VC: an intra frame, so an approximation of a
    video's (mostly inter) frames. Odd sides are padded by edge
    replication for the 4:2:0 encoder and cropped back.

    Args:
        img (np.ndarray): BGR uint8, at least 2x2.
        crf (int): The constant rate factor.
        name (str): The file name for the errors.

    Returns:
        np.ndarray: The decoded BGR uint8 frame, of ``img``'s shape.

    Raises:
        ValueError: If the image is smaller than 2x2.
    """
    h, w = img.shape[:2]
    if h < 2 or w < 2:
        raise ValueError(f'{name}: a {w}x{h} image is too small for H.264')
    ph, pw = h + h % 2, w + w % 2
    padded = np.pad(img, ((0, ph - h), (0, pw - w), (0, 0)), mode='edge')
    exe = ffmpeg_exe()
    raw = ['-f', 'rawvideo', '-pix_fmt', 'bgr24', '-s', f'{pw}x{ph}']
    stream = run_ffmpeg([exe, '-nostdin', '-loglevel', 'error'] + raw + [
        '-i', '-', '-c:v', 'libx264', '-crf',
        str(crf), '-pix_fmt', 'yuv420p', '-f', 'h264', '-'
    ], f'{name}: VC CRF {crf}', np.ascontiguousarray(padded).tobytes())
    out = run_ffmpeg([
        exe, '-nostdin', '-loglevel', 'error', '-f', 'h264', '-i', '-', '-f',
        'rawvideo', '-pix_fmt', 'bgr24', '-'
    ], f'{name}: decoding VC CRF {crf}', stream)
    frame = np.frombuffer(out, np.uint8)
    if frame.size != ph * pw * 3:
        raise RuntimeError(f'{name}: ffmpeg returned {frame.size} bytes for '
                           f'a {pw}x{ph} frame')
    return frame.reshape(ph, pw, 3)[:h, :w].copy()
