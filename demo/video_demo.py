# Copyright (c) laanet contributors. All rights reserved.
"""Score a video (or a folder of videos and images).

Example::

    python demo/video_demo.py clip.mp4 configs/laanet/efn4_sbi.py \
        --checkpoint laanet_efn4_sbi.pth --out-dir outputs/ --save-video

``--num-frames`` evenly spaced frames (32 by default) are decoded with
seeks; each face is scored, a frame scores the max over its faces, the
video the mean over frames with a face (the test metric's rule). Writes
``OUT_DIR/<name>.json`` with every frame, heatmap overlays in
``OUT_DIR/<name>/`` and, with ``--save-video``,
``OUT_DIR/<name>_annotated.mp4``.
"""
import os.path as osp
import sys
from typing import Optional, Sequence

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from image_demo import parse_args, run  # noqa: E402


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    return run(parse_args(argv, video=True))


if __name__ == '__main__':
    sys.exit(main())
