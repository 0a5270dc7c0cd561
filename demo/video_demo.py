# Copyright (c) laanet contributors. All rights reserved.
"""Score a video (or a folder of videos and images).

Example::

    python demo/video_demo.py clip.mp4 configs/laanet/efn4_sbi.py \
        --checkpoint laanet_efn4_sbi.pth --out-dir outputs/ --save-video

``--num-frames`` evenly spaced frames (32 by default) are decoded with
seeks; each face is scored, a frame scores the max over its faces, the
video by the test metric's rule (the sigmoid of the mean frame logit by
default). Writes ``OUT_DIR/<name>.json`` with every frame, heatmap
overlays in ``OUT_DIR/<name>/`` and, with ``--save-video``,
``OUT_DIR/<name>_annotated.mp4``. The options and the run are those of
``demo/image_demo.py``.
"""
import argparse
import sys
from typing import Optional, Sequence

from laanet.apis.demo_cli import run_demo
from laanet.utils.cli_args import demo_parser


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line (sys.argv when ``argv`` is None)."""
    return demo_parser('video').parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    return run_demo(parse_args(argv))


if __name__ == '__main__':
    sys.exit(main())
