# Copyright (c) laanet contributors. All rights reserved.
"""DF1 "VC": H.264 compression with a CRF, through a real encoder.

The reference runs ``ffmpeg -i IN -crf P -y OUT`` (libx264, its default
preset). We run the same encoder with the ffmpeg binary that the
``imageio-ffmpeg`` wheel ships, so nothing has to be installed on the
system.
"""
import os
import os.path as osp
import re
import subprocess
from typing import Optional

import numpy as np

_CRF_RE = re.compile(rb'x264 - core .{0,2000}?crf=([0-9.]+)', re.DOTALL)


def ffmpeg_exe() -> str:
    """The ffmpeg binary of the ``imageio-ffmpeg`` wheel.

    Returns:
        str: Its path.

    Raises:
        ImportError: If ``imageio-ffmpeg`` is not installed.
    """
    try:
        import imageio_ffmpeg
    except ImportError as e:
        raise ImportError(
            'DF1 video compression (VC) needs an H.264 encoder: '
            '`pip install imageio-ffmpeg` (it ships an ffmpeg binary with '
            'libx264; listed in requirements/runtime.txt).') from e
    return imageio_ffmpeg.get_ffmpeg_exe()


def _run(cmd: list, what: str, data: Optional[bytes] = None) -> bytes:
    """Run ffmpeg; raise with its message when it fails."""
    proc = subprocess.run(cmd, input=data, capture_output=True)
    if proc.returncode != 0:
        msg = proc.stderr.decode('utf-8', 'replace').strip()[-800:]
        raise RuntimeError(f'{what}: ffmpeg failed ({proc.returncode}): '
                           f'{msg}')
    return proc.stdout


def reencode_video(src: str, dst: str, crf: int) -> str:
    """Re-encode a video with libx264 at ``crf`` (the DF1 VC protocol).

    The file is written next to ``dst`` first and moved in place when
    complete.

    Args:
        src (str): The input video.
        dst (str): The output, e.g. ``.mp4``.
        crf (int): The constant rate factor (DF1: 30, 32, 35, 38, 40).

    Returns:
        str: ``dst``.

    Raises:
        FileNotFoundError: If ``src`` does not exist.
        RuntimeError: If ffmpeg fails (its message included).
    """
    if not osp.isfile(src):
        raise FileNotFoundError(f'{src}: no such video')
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    root, ext = osp.splitext(dst)
    tmp = f'{root}.tmp{os.getpid()}{ext}'
    try:
        _run([
            ffmpeg_exe(), '-nostdin', '-loglevel', 'error', '-y', '-i', src,
            '-an', '-c:v', 'libx264', '-crf',
            str(crf), tmp
        ], f'{src}: VC CRF {crf}')
        os.replace(tmp, dst)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    return dst


def read_crf(path: str) -> Optional[float]:
    """The CRF that libx264 recorded in a stream (its SEI options).

    Args:
        path (str): An H.264 file (``.mp4``, ``.h264``).

    Returns:
        float | None: The CRF, None if the stream records none.
    """
    with open(path, 'rb') as f:
        m = _CRF_RE.search(f.read(1 << 20))
    return float(m.group(1)) if m else None


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
    stream = _run([exe, '-nostdin', '-loglevel', 'error'] + raw + [
        '-i', '-', '-c:v', 'libx264', '-crf',
        str(crf), '-pix_fmt', 'yuv420p', '-f', 'h264', '-'
    ], f'{name}: VC CRF {crf}', np.ascontiguousarray(padded).tobytes())
    out = _run([
        exe, '-nostdin', '-loglevel', 'error', '-f', 'h264', '-i', '-', '-f',
        'rawvideo', '-pix_fmt', 'bgr24', '-'
    ], f'{name}: decoding VC CRF {crf}', stream)
    frame = np.frombuffer(out, np.uint8)
    if frame.size != ph * pw * 3:
        raise RuntimeError(f'{name}: ffmpeg returned {frame.size} bytes for '
                           f'a {pw}x{ph} frame')
    return frame.reshape(ph, pw, 3)[:h, :w].copy()
