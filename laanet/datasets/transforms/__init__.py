# Copyright (c) laanet contributors. All rights reserved.
from .blend_images import BlendImages
from .center_crop_letterbox import CenterCropLetterbox
from .clip_framewise import ClipFramewise
from .df1_perturbation import DF1Perturbation
from .face_box_crop import FaceBoxCrop
from .generate_blend_targets import GenerateBlendTargets
from .generate_temporal_targets import GenerateTemporalTargets
from .image_degradation import ImageDegradation
from .joint_color_aug import JointColorAug
from .joint_geometric_aug import JointGeometricAug
from .letterbox_warp import LetterboxWarp
from .load_clip_frames import LoadClipFrames
from .load_clip_landmarks import LoadClipLandmarks
from .load_landmarks import LoadLandmarks
from .pack_clip_inputs import CLIP_META_KEYS, PackClipInputs
from .pack_deepfake_inputs import DEFAULT_META_KEYS, PackDeepfakeInputs
from .self_blend import SelfBlend
from .vulnerability_mask import VulnerabilityMask

__all__ = [
    'BlendImages', 'CenterCropLetterbox', 'DF1Perturbation', 'FaceBoxCrop',
    'GenerateBlendTargets', 'ImageDegradation', 'JointColorAug',
    'JointGeometricAug', 'LetterboxWarp', 'LoadLandmarks',
    'PackDeepfakeInputs', 'SelfBlend', 'DEFAULT_META_KEYS'
]
# FakeSTormer clips (kept apart so that other branches' additions merge)
__all__ += [
    'CLIP_META_KEYS', 'ClipFramewise', 'GenerateTemporalTargets',
    'LoadClipFrames', 'LoadClipLandmarks', 'PackClipInputs',
    'VulnerabilityMask'
]
