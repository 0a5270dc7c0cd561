# Copyright (c) laanet contributors. All rights reserved.
"""laanet: LAA-Net (CVPR 2024) deepfake detection on MMEngine."""
from .utils.dependency import check_mm_versions
from .version import __version__, version_info

check_mm_versions()

__all__ = ['__version__', 'version_info']
