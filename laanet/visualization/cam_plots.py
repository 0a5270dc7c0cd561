# Copyright (c) laanet contributors. All rights reserved.
"""Drawings of class-activation maps: the CAM overlay of a face
(:func:`draw_cam_overlay`) and a PNG figure of explained faces, input |
heatmap | CAM, one row per face (:func:`plot_explanations`), in the style
of the report plots."""
from typing import Optional, Sequence

import cv2
import numpy as np

from .deepfake_visualizer import overlay_heatmap
from .report_plots import FIG_DPI, _save

#: Side of one panel, in inches (240 pixels at :data:`FIG_DPI`).
PANEL_INCHES = 2.4


def plot_explanations(rows: Sequence[dict],
                      path: str,
                      title: Optional[str] = None,
                      alpha: float = 0.5) -> str:
    """Draw each face with its artifact heatmap (if any) and its CAM.

    Both maps are drawn as the inference overlays are
    (:func:`~laanet.visualization.overlay_heatmap`: JET over the face,
    values kept as they are; a CAM is scaled to [0, 1] per face, a heatmap
    is a probability). The heatmap column appears when a face has one.

    Args:
        rows (Sequence[dict]): Per face: ``name`` (str), ``face`` (RGB
            uint8 network input), ``score`` (P(fake)), ``cam`` ((h, w) in
            [0, 1]), ``cam_label`` (e.g. ``'GradCAM, backbone.bn2'``) and
            ``heatmap`` ((h, w) or None).
        path (str): The ``.png`` file.
        title (str, optional): The figure's title.
        alpha (float): Weight of the maps. Defaults to 0.5.

    Returns:
        str: ``path``.

    Raises:
        ValueError: Without rows.
    """
    if not rows:
        raise ValueError(f'{path}: no face to draw')
    import matplotlib
    matplotlib.use('Agg', force=True)
    import matplotlib.pyplot as plt
    heatmaps = any(r.get('heatmap') is not None for r in rows)
    cols = 3 if heatmaps else 2
    fig, axes = plt.subplots(
        len(rows),
        cols,
        figsize=(PANEL_INCHES * cols, PANEL_INCHES * len(rows) + 0.4),
        dpi=FIG_DPI,
        squeeze=False)
    for ax_row, row in zip(axes, rows):
        panels = [(row['face'], 'input')]
        if heatmaps:
            panels.append(
                (overlay_heatmap(row['face'], row.get('heatmap'), alpha),
                 'heatmap' if row.get('heatmap') is not None else
                 'no heatmap head'))
        panels.append((overlay_heatmap(row['face'], row['cam'], alpha),
                       row['cam_label']))
        for ax, (image, label) in zip(ax_row, panels):
            ax.imshow(image)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(label, fontsize='small')
        ax_row[0].set_ylabel(f'{row["name"]}\nP(fake) {row["score"]:.3f}',
                             fontsize='small')
    if title:
        fig.suptitle(title, fontsize='medium')
    _save(plt, fig, path)
    return path


def draw_cam_overlay(visualizer, face_bgr: np.ndarray, cam: np.ndarray,
                     score: float, method: str) -> np.ndarray:
    """A face with its CAM drawn like the heatmap overlays, tagged.

    The overlay of :meth:`DeepfakeVisualizer.draw_face_input` (JET over
    the network input, P(fake) top left) with the method's name in the
    bottom-left corner, so that it is not taken for an artifact heatmap.

    Args:
        visualizer (DeepfakeVisualizer): Draws the overlay.
        face_bgr (np.ndarray): The network input, BGR uint8.
        cam (np.ndarray): (h, w) map in [0, 1].
        score (float): The face's P(fake).
        method (str): E.g. ``'GradCAM'``.

    Returns:
        np.ndarray: The BGR uint8 drawing.
    """
    over = visualizer.draw_face_input(face_bgr, cam, score)
    scale = max(0.4, over.shape[1] / 640)
    thick = max(1, round(scale * 1.5))
    (w, h), _ = cv2.getTextSize(method, cv2.FONT_HERSHEY_SIMPLEX, scale,
                                thick)
    rows = over.shape[0]
    cv2.rectangle(over, (0, rows - h - 10), (w + 8, rows), (0, 0, 0), -1)
    cv2.putText(over, method, (4, rows - 5), cv2.FONT_HERSHEY_SIMPLEX, scale,
                (255, 255, 255), thick)
    return over
