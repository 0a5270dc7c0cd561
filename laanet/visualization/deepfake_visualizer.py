# Copyright (c) laanet contributors. All rights reserved.
"""Draw a face with its GT and predicted artifact heatmaps."""
from typing import Optional, Sequence

import cv2
import mmcv
import numpy as np
import torch
from mmengine.dist import master_only
from mmengine.visualization import Visualizer

from laanet.registry import VISUALIZERS
from laanet.structures import DeepfakeDataSample

LABEL_NAMES = ('real', 'fake')


def overlay_heatmap(image: np.ndarray,
                    heatmap: Optional[torch.Tensor],
                    alpha: float = 0.5) -> np.ndarray:
    """Blend a [0, 1] heatmap, coloured with the JET map, onto an image.

    The heatmap is resized to the image (not the image to the heatmap),
    and values keep their absolute scale (no min-max normalisation), so
    an empty map stays blue.

    Args:
        image (np.ndarray): RGB uint8 image, H×W×3.
        heatmap (torch.Tensor, optional): 1×h×w or h×w map in [0, 1]. None
            returns a copy of the image.
        alpha (float): Weight of the heatmap. Defaults to 0.5.

    Returns:
        np.ndarray: The RGB uint8 overlay.
    """
    if heatmap is None:
        return image.copy()
    hm = heatmap.detach().float().cpu().numpy() if isinstance(
        heatmap, torch.Tensor) else np.asarray(
            heatmap, dtype=np.float32)
    hm = np.clip(hm.reshape(hm.shape[-2:]), 0, 1)
    hm = cv2.resize(
        hm, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    colour = cv2.applyColorMap((hm * 255).astype(np.uint8), cv2.COLORMAP_JET)
    colour = cv2.cvtColor(colour, cv2.COLOR_BGR2RGB)
    out = (1 - alpha) * image.astype(np.float32) + alpha * colour
    return np.clip(out, 0, 255).astype(np.uint8)


@VISUALIZERS.register_module()
class DeepfakeVisualizer(Visualizer):
    """Visualizer of deepfake predictions.

    :meth:`add_datasample` draws up to three panels side by side: the face
    with the ground-truth label and the predicted score and label, the
    ground-truth heatmap overlay and the predicted heatmap overlay.

    Args:
        name (str): Name of the instance. Defaults to ``'visualizer'``.
        image (np.ndarray, optional): Image to draw on. Defaults to None.
        vis_backends (list[dict], optional): Storage backends (local,
            TensorBoard, ...). Defaults to None.
        save_dir (str, optional): Save dir of the backends. Defaults to
            None.
        alpha (float): Heatmap weight in the overlays. Defaults to 0.5.
        threshold (float): Score from which the label is ``fake``.
            Defaults to 0.5.
    """

    def __init__(self,
                 name: str = 'visualizer',
                 image: Optional[np.ndarray] = None,
                 vis_backends: Optional[Sequence[dict]] = None,
                 save_dir: Optional[str] = None,
                 alpha: float = 0.5,
                 threshold: float = 0.5) -> None:
        super().__init__(
            name=name,
            image=image,
            vis_backends=vis_backends,
            save_dir=save_dir)
        self.alpha = alpha
        self.threshold = threshold

    def _caption(self, data_sample: DeepfakeDataSample, draw_gt: bool,
                 draw_pred: bool) -> str:
        lines = []
        if draw_gt and 'gt_label' in data_sample:
            lines.append(
                f'GT: {LABEL_NAMES[int(data_sample.gt_label.reshape(-1)[0])]}')
        if draw_pred and 'pred_score' in data_sample:
            score = float(data_sample.pred_score.reshape(-1)[0])
            label = LABEL_NAMES[int(score >= self.threshold)]
            lines.append(f'Pred: {label} ({score:.3f})')
        return '\n'.join(lines)

    @master_only
    def add_datasample(self,
                       name: str,
                       image: np.ndarray,
                       data_sample: Optional[DeepfakeDataSample] = None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       step: int = 0) -> np.ndarray:
        """Draw a face with its heatmaps, score and label.

        The result goes to ``out_file`` if given, otherwise to the
        visualizer's backends (local files, TensorBoard, ...).

        Args:
            name (str): Name of the image (the file stem in the backends).
            image (np.ndarray): RGB uint8 image, H×W×3.
            data_sample (DeepfakeDataSample, optional): GT and predictions.
            draw_gt (bool): Draw ``gt_label`` and ``gt_fields.heatmap``.
                Defaults to True.
            draw_pred (bool): Draw ``pred_score`` and
                ``pred_fields.heatmap``. Defaults to True.
            show (bool): Display the drawing. Defaults to False.
            wait_time (float): Display time in seconds. Defaults to 0.
            out_file (str, optional): Write the drawing (RGB→BGR) here.
            step (int): Global step for the backends. Defaults to 0.

        Returns:
            np.ndarray: The RGB drawing.
        """
        image = np.ascontiguousarray(image[..., :3]).astype(np.uint8)
        panels = [image]
        titles = ['input']
        if data_sample is not None:
            gt_fields = data_sample.get('gt_fields')
            pred_fields = data_sample.get('pred_fields')
            if draw_gt and gt_fields is not None and 'heatmap' in gt_fields:
                panels.append(
                    overlay_heatmap(image, gt_fields.heatmap, self.alpha))
                titles.append('GT heatmap')
            if draw_pred and pred_fields is not None and \
                    'heatmap' in pred_fields:
                panels.append(
                    overlay_heatmap(image, pred_fields.heatmap, self.alpha))
                titles.append('pred heatmap')
        drawing = np.concatenate(panels, axis=1)
        self.set_image(drawing)
        h, w = image.shape[:2]
        font_size = max(int(h / 20), 7)
        self.draw_texts(
            titles,
            positions=np.array([[i * w + 2, h - 2]
                                for i in range(len(panels))]),
            font_sizes=font_size,
            colors='white',
            vertical_alignments='bottom',
            bboxes=dict(facecolor='black', alpha=0.5, pad=1, edgecolor='none'))
        if data_sample is not None:
            caption = self._caption(data_sample, draw_gt, draw_pred)
            if caption:
                self.draw_texts(
                    caption,
                    positions=np.array([2, 2]),
                    font_sizes=font_size,
                    colors='white',
                    bboxes=dict(
                        facecolor='black', alpha=0.5, pad=1, edgecolor='none'))
        drawn = self.get_image()
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(drawn[..., ::-1], out_file)
        else:
            self.add_image(name, drawn, step=step)
        return drawn
