# Copyright (c) laanet contributors. All rights reserved.
"""The SBI source augmentation preset (albumentations 2.x dicts).

Owns :data:`SBI_SOURCE_TRANSFORMS`, which :class:`SelfBlend` (and through
it :class:`VideoSelfBlend`) applies to the source or the background.
"""
import cv2

# SBI's source augmentation: colour jitter, then one of a coarse
# down/up-scale (x1/2 or x1/4, nearest down, linear up) and a sharpen,
# each chosen half of the time. OneOf weights its children by their p, so
# every child states p=1 (albumentations 2.x's Sharpen defaults to p=0.5,
# which would make it 1/3 : 2/3). The HSV limits act in uint8 units, so
# that change is tiny (an SBI quirk kept for fidelity).
SBI_SOURCE_TRANSFORMS = [
    dict(type='RGBShift', r_shift_limit=20, g_shift_limit=20,
         b_shift_limit=20, p=0.3),
    dict(type='HueSaturationValue', hue_shift_limit=0.3,
         sat_shift_limit=0.3, val_shift_limit=0.3, p=1.),
    dict(type='RandomBrightnessContrast', brightness_limit=0.1,
         contrast_limit=0.1, p=1.),
    dict(type='OneOf', p=1., transforms=[
        dict(type='OneOf', p=1., transforms=[
            dict(type='Downscale', scale_range=(0.5, 0.5),
                 interpolation_pair=dict(downscale=cv2.INTER_NEAREST,
                                         upscale=cv2.INTER_LINEAR), p=1.),
            dict(type='Downscale', scale_range=(0.25, 0.25),
                 interpolation_pair=dict(downscale=cv2.INTER_NEAREST,
                                         upscale=cv2.INTER_LINEAR), p=1.),
        ]),
        dict(type='Sharpen', alpha=(0.2, 0.5), lightness=(0.5, 1.0), p=1.),
    ]),
]  # yapf: disable
