# Copyright (c) laanet contributors. All rights reserved.
"""Draw validation/test predictions with their heatmaps."""
import os.path as osp
import re
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.visualization import Visualizer

from laanet.registry import HOOKS
from laanet.structures import DeepfakeDataSample


def _input_image(inputs, index: int) -> Optional[np.ndarray]:
    """The ``index``-th network input of a batch as an RGB uint8 image.

    Pipeline inputs are BGR uint8 ``(3, H, W)`` tensors (stacked or in a
    list), before the data preprocessor normalises them.
    """
    if isinstance(inputs, torch.Tensor):
        if inputs.ndim != 4 or index >= inputs.shape[0]:
            return None
        img = inputs[index]
    elif isinstance(inputs, (list, tuple)) and index < len(inputs):
        img = inputs[index]
    else:
        return None
    if not isinstance(img, torch.Tensor) or img.ndim != 3:
        return None
    img = img.detach().cpu()
    if img.dtype != torch.uint8:
        img = img.clamp(0, 255).to(torch.uint8)
    return np.ascontiguousarray(img.permute(1, 2, 0).numpy()[..., ::-1])


@HOOKS.register_module()
class DeepfakeVisualizationHook(Hook):
    """Visualize predictions of the validation and test loops.

    Draws the network input with the ground-truth and predicted heatmaps,
    the label and the score through :class:`DeepfakeVisualizer`.

    - Validation: the first sample of every ``interval``-th batch goes to
      the visualizer's backends (local files, TensorBoard if configured).
    - Test: every ``interval``-th sample goes to
      ``<work_dir>/<timestamp>/<out_dir>/`` when ``out_dir`` is set
      (``tools/test.py --show-dir``), otherwise to the backends.

    Args:
        enable (bool): Draw at all. Defaults to False.
        interval (int): Draw every ``interval``-th batch (validation) or
            sample (test). Defaults to 50.
        show (bool): Display the drawings. Defaults to False.
        wait_time (float): Display time in seconds. Defaults to 0.
        out_dir (str, optional): Test output folder, relative to
            ``<work_dir>/<timestamp>``. Defaults to None.
        draw_gt (bool): Draw the ground truth. Defaults to True.
        draw_pred (bool): Draw the predictions. Defaults to True.
    """

    priority = 'NORMAL'

    def __init__(self,
                 enable: bool = False,
                 interval: int = 50,
                 show: bool = False,
                 wait_time: float = 0.,
                 out_dir: Optional[str] = None,
                 draw_gt: bool = True,
                 draw_pred: bool = True) -> None:
        if interval < 1:
            raise ValueError(f'`interval` must be >= 1, got {interval}.')
        self.enable = enable
        self.interval = interval
        self.show = show
        self.wait_time = wait_time
        self.out_dir = out_dir
        self.draw_gt = draw_gt
        self.draw_pred = draw_pred
        self._visualizer: Optional[Visualizer] = None

    @property
    def visualizer(self) -> Visualizer:
        """The current visualizer instance."""
        if self._visualizer is None:
            self._visualizer = Visualizer.get_current_instance()
        return self._visualizer

    def _draw(self, image: np.ndarray, sample: DeepfakeDataSample, name: str,
              step: int, out_file: Optional[str]) -> None:
        self.visualizer.add_datasample(
            name,
            image=image,
            data_sample=sample,
            draw_gt=self.draw_gt,
            draw_pred=self.draw_pred,
            show=self.show,
            wait_time=self.wait_time,
            out_file=out_file,
            step=step)

    @staticmethod
    def _name(sample: DeepfakeDataSample, index: int) -> str:
        stem = 'sample'
        if sample.get('img_path'):
            stem = osp.splitext(osp.basename(sample.img_path))[0]
        if sample.get('video_id'):
            stem = f'{sample.video_id}_{stem}'
        return f'{index:06d}_' + re.sub(r'[^A-Za-z0-9_.-]+', '_', stem)

    def _image(self, data_batch, sample, index: int) -> Optional[np.ndarray]:
        image = None
        if isinstance(data_batch, dict):
            image = _input_image(data_batch.get('inputs'), index)
        if image is None and sample.get('img_path'):
            image = mmcv.imread(sample.img_path, channel_order='rgb')
        return image

    def after_val_iter(self, runner, batch_idx: int, data_batch: dict,
                       outputs: Sequence[DeepfakeDataSample]) -> None:
        """Draw the first sample of every ``interval``-th batch."""
        if not self.enable or batch_idx % self.interval or not outputs:
            return
        sample = outputs[0]
        image = self._image(data_batch, sample, 0)
        if image is None:
            return
        self._draw(image, sample, f'val_{self._name(sample, batch_idx)}',
                   runner.iter, None)

    def after_test_iter(self, runner, batch_idx: int, data_batch: dict,
                        outputs: Sequence[DeepfakeDataSample]) -> None:
        """Draw every ``interval``-th sample."""
        if not self.enable:
            return
        batch_size = len(outputs)
        for i, sample in enumerate(outputs):
            index = batch_idx * batch_size + i
            if index % self.interval:
                continue
            image = self._image(data_batch, sample, i)
            if image is None:
                continue
            name = self._name(sample, index)
            out_file = None
            if self.out_dir is not None:
                out_file = osp.join(runner.work_dir, runner.timestamp,
                                    self.out_dir, name + '.png')
            self._draw(image, sample, f'test_{name}', index, out_file)
