# Copyright (c) laanet contributors. All rights reserved.
"""ffmpeg: re-encoding a video with libx264 and reading its CRF back.

The DF1 VC protocol runs ``ffmpeg -i IN -crf P -y OUT`` (libx264, its
default preset) and the web app re-encodes its annotated video for the
browser. Both use the ffmpeg binary that the ``imageio-ffmpeg`` wheel
ships, so nothing has to be installed on the system.
"""
import os
import os.path as osp
import re
import subprocess
from typing import Optional

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
            'H.264 encoding (DF1 video compression, the web app\'s '
            'browser video) needs an encoder: '
            '`pip install imageio-ffmpeg` (it ships an ffmpeg binary with '
            'libx264; listed in requirements/runtime.txt).') from e
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(cmd: list, what: str, data: Optional[bytes] = None) -> bytes:
    """Run an ffmpeg command line and return its standard output.

    Args:
        cmd (list): The command, ``ffmpeg_exe()`` first.
        what (str): What it does, for the error (starts with the file).
        data (bytes, optional): Its standard input.

    Returns:
        bytes: What ffmpeg wrote to its standard output.

    Raises:
        RuntimeError: If ffmpeg fails (its message included).
    """
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
        run_ffmpeg([
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
