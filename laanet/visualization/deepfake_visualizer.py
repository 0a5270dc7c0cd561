# Copyright (c) laanet contributors. All rights reserved.
"""Drawing of deepfake predictions: heatmap overlays, captions, boxes.

Owns every drawing of laanet: :func:`overlay_heatmap`, the panels of
:meth:`DeepfakeVisualizer.add_datasample` (training and test hooks), and
the inference drawings (:meth:`DeepfakeVisualizer.draw_face_input`,
:meth:`DeepfakeVisualizer.draw_video_frame`) that
:class:`~laanet.apis.DeepfakeInferencer` writes.
"""
from typing import List, Optional, Sequence

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
    :meth:`draw_face_input` and :meth:`draw_video_frame` draw inference
    results with OpenCV (BGR in, BGR out).

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

    def draw_face_input(self, face_bgr: np.ndarray,
                        heatmap: Optional[np.ndarray],
                        score: float) -> np.ndarray:
        """The network input of a face with its predicted heatmap (JET)
        and its P(fake) as a caption (red: fake, green: real).

        Args:
            face_bgr (np.ndarray): The network input, BGR uint8.
            heatmap (np.ndarray, optional): (h, w) map in [0, 1].
            score (float): The face's P(fake).

        Returns:
            np.ndarray: The BGR uint8 drawing.
        """
        rgb = cv2.cvtColor(face_bgr, cv2.COLOR_BGR2RGB)
        over = overlay_heatmap(rgb, heatmap, self.alpha)
        over = cv2.cvtColor(over, cv2.COLOR_RGB2BGR)
        _put_label(over, f'P(fake) {score:.3f}', score >= self.threshold)
        return over

    def draw_video_frame(self, frame: np.ndarray, faces: List[dict],
                         index: int, score: Optional[float]) -> np.ndarray:
        """A video frame with its face boxes and probabilities.

        Boxes are red (fake), green (real) or grey (ignored face); the
        frame's index and score are written in the top-left corner.

        Args:
            frame (np.ndarray): BGR uint8 frame.
            faces (list[dict]): ``box`` (x0, y0, x1, y1), ``score`` and
                ``ignored`` of each face.
            index (int): The frame's index in the video.
            score (float, optional): The frame's P(fake); None: no face.

        Returns:
            np.ndarray: The BGR uint8 drawing (a copy).
        """
        out = frame.copy()
        thick = max(1, round(max(out.shape[:2]) / 300))
        for face in faces:
            x0, y0, x1, y1 = [int(round(v)) for v in face['box']]
            fake = face['score'] >= self.threshold
            colour = (128, 128,
                      128) if face['ignored'] else ((0, 0, 255) if fake else
                                                    (0, 200, 0))
            cv2.rectangle(out, (x0, y0), (x1, y1), colour, thick)
            cv2.putText(out, f'{face["score"]:.2f}', (x0, max(12, y0 - 3)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.4 * thick, colour, thick)
        text = (f'frame {index}: no face' if score is None else
                f'frame {index}: P(fake) {score:.3f}')
        cv2.putText(out, text, (4, 14 * thick), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4 * thick, (255, 255, 255), thick)
        return out


def _put_label(img: np.ndarray, text: str, fake: bool) -> None:
    """Write a caption in the top-left corner, in place."""
    scale = max(0.4, img.shape[1] / 640)
    thick = max(1, round(scale * 1.5))
    colour = (0, 0, 255) if fake else (0, 200, 0)
    (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    cv2.rectangle(img, (0, 0), (w + 8, h + 10), (0, 0, 0), -1)
    cv2.putText(img, text, (4, h + 4), cv2.FONT_HERSHEY_SIMPLEX, scale, colour,
                thick)
