# Copyright (c) laanet contributors. All rights reserved.
from .base_deepfake_detector import BaseDeepfakeDetector
from .deepfake_classifier import DeepfakeClassifier
from .fakestormer import FakeSTormer
from .laanet import LAANet

__all__ = [
    'BaseDeepfakeDetector', 'DeepfakeClassifier', 'FakeSTormer', 'LAANet'
]
