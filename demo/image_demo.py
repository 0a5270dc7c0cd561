# Copyright (c) laanet contributors. All rights reserved.
"""Score the faces of an image (or a folder of images and videos).

Example::

    python demo/image_demo.py face.jpg configs/laanet/efn4_sbi.py \
        --checkpoint laanet_efn4_sbi.pth --out-dir outputs/

Writes ``OUT_DIR/<name>.json`` (score = P(fake), label, threshold, every
face with its box and score), heatmap overlays in ``OUT_DIR/<name>/`` and,
for a folder, ``OUT_DIR/summary.csv``. Official checkpoints are converted
on the fly. The options are :func:`laanet.utils.cli_args.demo_parser`'s,
the run :func:`laanet.apis.demo_cli.run_demo`, both shared with
``demo/video_demo.py``.
"""
import argparse
import sys
from typing import Optional, Sequence

from laanet.apis.demo_cli import run_demo
from laanet.utils.cli_args import demo_parser


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line (sys.argv when ``argv`` is None)."""
    return demo_parser('image').parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    return run_demo(parse_args(argv))


if __name__ == '__main__':
    sys.exit(main())
