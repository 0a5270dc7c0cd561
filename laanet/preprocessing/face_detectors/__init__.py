# Copyright (c) laanet contributors. All rights reserved.
from .base_face_detector import BaseFaceDetector
from .dlib_cnn_face_detector import DlibCNNFaceDetector
from .dlib_hog_face_detector import DlibHOGFaceDetector
from .dlib_landmark_predictor import (DlibLandmarkPredictor, align_by_eyes,
                                      default_landmark_model_path)
from .face_crop import (box_in_crop, crop_face, crop_window,
                        margin_crop_window, select_best_face)
from .face_prep import FACE_PREP_CFG
from .retina_face_detector import RetinaFaceDetector

__all__ = [
    'BaseFaceDetector', 'DlibHOGFaceDetector', 'DlibCNNFaceDetector',
    'RetinaFaceDetector', 'DlibLandmarkPredictor', 'align_by_eyes',
    'default_landmark_model_path', 'box_in_crop', 'crop_face', 'crop_window',
    'margin_crop_window', 'select_best_face', 'FACE_PREP_CFG'
]
