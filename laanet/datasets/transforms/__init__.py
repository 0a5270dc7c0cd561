# Copyright (c) laanet contributors. All rights reserved.
from .center_crop_letterbox import CenterCropLetterbox  # noqa: E402

__all__ = ['CenterCropLetterbox']
