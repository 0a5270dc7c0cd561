# Copyright (c) laanet contributors. All rights reserved.
"""The face preparation settings: one definition for data and inference.

Owns :data:`FACE_PREP_CFG`, the face detector and the crop that make a
face crop out of a frame:

- ``detector``: dlib's HOG detector (``TASK_UTILS``), on frames upsampled
  so that their shorter side is at least 360 px and downscaled so that
  their longer side is at most 2048 px;
- ``margin`` and ``size``: a square window of 1.25 times the face box,
  resized to 256 x 256
  (:func:`~laanet.preprocessing.face_detectors.crop_face`).

``tools/dataset_converters/extract_faces.py`` takes its argparse defaults
from it, ``tools/misc/make_demo_dataset.py`` and
:class:`~laanet.apis.DeepfakeInferencer` build their detector and crop
from it, so that a face of new media is cropped as the test sets' faces
were (``tests/test_preprocessing/test_face_detectors/test_face_prep.py``).
"""

FACE_PREP_CFG = dict(
    detector=dict(type='DlibHOGFaceDetector', min_side=360, max_side=2048),
    margin=1.25,
    size=256)
