# Copyright (c) laanet contributors. All rights reserved.
"""RetinaFace (the official crop detector), optional."""
import os.path as osp
from typing import Optional

import cv2
import numpy as np

from laanet.registry import TASK_UTILS
from .base_face_detector import BaseFaceDetector


@TASK_UTILS.register_module()
class RetinaFaceDetector(BaseFaceDetector):
    """RetinaFace-ResNet50 from the ``retinaface-pytorch`` package.

    This is the detector the official crop script uses. It is optional:
    install ``retinaface-pytorch`` and pass the local weight file (e.g.
    ``retinaface_resnet50_2020-07-20.pth``, the package's ``resnet50``
    model); nothing is downloaded.

    Args:
        weights (str): Local state-dict file of the ResNet-50 model.
        device (str): Torch device. Defaults to ``'cpu'``.
        max_size (int): The model's own input cap. Defaults to 2048.
        nms_thr (float): NMS IoU threshold. Defaults to 0.4.
        min_side (int): See :class:`BaseFaceDetector`. Defaults to 0
            (RetinaFace handles small faces itself).
        max_side (int, optional): See :class:`BaseFaceDetector`.
            Defaults to None.
        score_thr (float): Minimum confidence. Defaults to 0.7.
    """

    def __init__(self,
                 weights: str,
                 device: str = 'cpu',
                 max_size: int = 2048,
                 nms_thr: float = 0.4,
                 min_side: int = 0,
                 max_side: Optional[int] = None,
                 score_thr: float = 0.7) -> None:
        super().__init__(
            min_side=min_side, max_side=max_side, score_thr=score_thr)
        if not weights or not osp.isfile(weights):
            raise FileNotFoundError(
                f'RetinaFace weight file not found: {weights!r}. Pass the '
                'local path of the retinaface-pytorch ResNet-50 weights; '
                'laanet never downloads them.')
        try:
            from retinaface.predict_single import Model
        except ImportError as e:
            raise ImportError(
                'RetinaFaceDetector needs the optional package '
                '`retinaface-pytorch` (pip install retinaface-pytorch).'
            ) from e
        import torch
        self.weights = weights
        self.nms_thr = nms_thr
        self._model = Model(max_size=max_size, device=device)
        state = torch.load(weights, map_location='cpu', weights_only=True)
        self._model.load_state_dict(state)
        self._model.eval()

    def _detect(self, img: np.ndarray) -> np.ndarray:
        """Run RetinaFace on the RGB version of ``img``."""
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        anns = self._model.predict_jsons(
            rgb, confidence_threshold=self.score_thr,
            nms_threshold=self.nms_thr)
        rows = [list(a['bbox']) + [a['score']] for a in anns
                if len(a.get('bbox', [])) == 4]
        return np.array(rows, dtype=np.float32).reshape(-1, 5)
