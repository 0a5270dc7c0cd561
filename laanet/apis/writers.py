# Copyright (c) laanet contributors. All rights reserved.
"""The files of one inference call.

Owns what :class:`~laanet.apis.DeepfakeInferencer` writes into
``out_dir``: the output base names (:func:`unique_names`), per input the
result JSON (:func:`write_result_json`), the heatmap overlays of its
faces and its annotated video, and the summary CSV of the call
(:func:`write_summary_csv`), all atomically, through one
:class:`ResultWriter` per call. The drawings are
:class:`~laanet.visualization.DeepfakeVisualizer`'s.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

from laanet.utils.media import (atomic_dump_json, atomic_write_csv,
                                atomic_write_image, write_video)
from laanet.visualization.cam_plots import draw_cam_overlay
from .cam_explainer import CAM_SUFFIX, face_cam

#: Columns of the summary CSV, one row per input.
CSV_FIELDS = ('file', 'type', 'score', 'label', 'threshold', 'num_frames',
              'face_frames', 'no_face_frames', 'reason', 'error')


def unique_names(items: Sequence) -> List[str]:
    """Output base names: the file stem, with the extension added where
    two inputs share a stem, and ``array<i>`` for arrays.

    Args:
        items (Sequence): Paths (str) or image arrays.

    Returns:
        list[str]: One distinct name per item.
    """
    stems = []
    for i, item in enumerate(items):
        stems.append(f'array{i}' if isinstance(item, np.ndarray) else
                     osp.splitext(osp.basename(item))[0] or osp.basename(item))
    names = []
    for item, stem in zip(items, stems):
        if stems.count(stem) > 1 and isinstance(item, str):
            ext = osp.splitext(item)[1].lstrip('.')
            stem = f'{stem}_{ext}' if ext else stem
        names.append(stem)
    # Still clashing (same name in different folders): number them.
    seen: Dict[str, int] = {}
    out = []
    for name in names:
        if names.count(name) > 1:
            seen[name] = seen.get(name, 0) + 1
            name = f'{name}_{seen[name]}'
        out.append(name)
    return out


def write_result_json(result: dict, path: str) -> None:
    """Write one inference result as indented JSON (atomically).

    Args:
        result (dict): A result of :class:`DeepfakeInferencer`.
        path (str): The JSON file.
    """
    atomic_dump_json(result, path, indent=2)


def write_summary_csv(results: Sequence[dict], path: str) -> None:
    """Write one CSV row per result (atomically).

    Args:
        results (Sequence[dict]): Results of :class:`DeepfakeInferencer`.
        path (str): The CSV file.
    """
    atomic_write_csv(
        path, CSV_FIELDS,
        (dict(
            file=r['file'],
            type=r['type'] or '',
            score='' if r['score'] is None else r['score'],
            label=r['label'] or '',
            threshold=r['threshold'],
            num_frames=r['num_frames'],
            face_frames=sum(fr['score'] is not None for fr in r['frames']),
            no_face_frames=len(r['no_face_frames']),
            reason=r['reason'] or '',
            error=r['error'] or '') for r in results))


def sampled_fps(media: dict) -> float:
    """The frame rate at which the sampled frames last as long as the
    source video.

    Args:
        media (dict): The output of :func:`decode_media` for a video
            (``fps``, ``num_total``, ``frames``).

    Returns:
        float: ``len(frames) * fps / num_total``; the source's frame rate
        when every frame was sampled, and 1 frame per second when the
        container declares no frame rate or frame count.
    """
    fps, total = media.get('fps'), media.get('num_total')
    if not fps or not total:
        return 1.
    return len(media['frames']) * float(fps) / total


def face_heatmap(sample) -> Optional[np.ndarray]:
    """The predicted artifact heatmap of a face, if any.

    Args:
        sample (DeepfakeDataSample): A predicted face.

    Returns:
        np.ndarray | None: (h, w) float32 in [0, 1]; None when the model
        predicts no heatmap.
    """
    if 'pred_fields' not in sample or 'heatmap' not in sample.pred_fields:
        return None
    heatmap = sample.pred_fields.heatmap
    return heatmap.float().cpu().numpy().reshape(heatmap.shape[-2:])


def face_input(sample) -> np.ndarray:
    """The network input of a face, as an image.

    Args:
        sample (DeepfakeDataSample): A predicted face with ``net_input``
            (the test pipeline's (3, H, W) uint8 BGR tensor).

    Returns:
        np.ndarray: (H, W, 3) BGR uint8.
    """
    return sample.net_input.permute(1, 2, 0).cpu().numpy()


class ResultWriter:
    """Write the outputs of one inference call into ``out_dir``.

    Per input: ``<name>.json`` (:meth:`write_result`), the overlays
    ``<name>/frame<index>_face<k>.jpg`` (and ``..._face<k>_cam.jpg`` for a
    face explained by a CAM) and ``<name>_annotated.mp4``
    (:meth:`write_drawings`); per call ``summary.csv``
    (:meth:`write_summary`). With ``out_dir=None`` nothing is written.

    Args:
        out_dir (str, optional): The output folder.
        names (Sequence[str]): Base name per input (:func:`unique_names`).
        visualizer (DeepfakeVisualizer): Draws overlays and video frames.
        save_heatmaps (bool): Write the overlays. Defaults to True.
        save_video (bool): Write annotated videos. Defaults to False.
    """

    def __init__(self,
                 out_dir: Optional[str],
                 names: Sequence[str],
                 visualizer,
                 save_heatmaps: bool = True,
                 save_video: bool = False) -> None:
        self.out_dir = out_dir
        self.names = list(names)
        self.visualizer = visualizer
        self.save_heatmaps = save_heatmaps
        self.save_video = save_video
        #: Per input, the overlays and video written, in the order of its
        #: frames and faces.
        self.files: List[List[str]] = [[] for _ in self.names]

    def write_drawings(self, index: int, media: dict,
                       faces: Sequence[List[dict]], result: dict) -> None:
        """Write the heatmap overlays and, for a video, the annotated
        video of a scored input.

        Overlays: the network input of each face with its predicted
        artifact heatmap and P(fake)
        (:meth:`DeepfakeVisualizer.draw_face_input`). Annotated video: the
        sampled frames with boxes and probabilities
        (:meth:`DeepfakeVisualizer.draw_video_frame`), at the frame rate
        that gives the source's duration (:func:`sampled_fps`).

        Args:
            index (int): The input's position.
            media (dict): The decoded input.
            faces (Sequence[list[dict]]): Per frame, per face: ``sample``,
                ``box``, ``score`` and ``ignored`` (as scored by
                :func:`~laanet.apis.results.build_result`).
            result (dict): The input's result.
        """
        if self.out_dir is None:
            return
        name, written = self.names[index], []
        if self.save_heatmaps:
            for fi, frame_faces in enumerate(faces):
                for fk, face in enumerate(frame_faces):
                    over = self.visualizer.draw_face_input(
                        face_input(face['sample']),
                        face_heatmap(face['sample']), face['score'])
                    path = osp.join(
                        self.out_dir, name,
                        f'frame{media["indices"][fi]:05d}_face{fk}.jpg')
                    atomic_write_image(path, over)
                    written.append(path)
                    cam = face_cam(face['sample'])
                    if cam is not None:
                        written.append(self._write_cam(path, face, cam))
        if self.save_video and media['type'] == 'video':
            path = osp.join(self.out_dir, f'{name}_annotated.mp4')
            frames = [
                self.visualizer.draw_video_frame(frame, frame_faces,
                                                 fr['index'], fr['score'])
                for frame, frame_faces, fr in zip(media['frames'], faces,
                                                  result['frames'])
            ]
            write_video(path, frames, sampled_fps(media))
            written.append(path)
        self.files[index] = written

    def _write_cam(self, overlay_path: str, face: dict,
                   cam: np.ndarray) -> str:
        """Write a face's CAM overlay next to its heatmap overlay."""
        path = overlay_path[:-len('.jpg')] + CAM_SUFFIX
        atomic_write_image(
            path,
            draw_cam_overlay(self.visualizer, face_input(face['sample']), cam,
                             face['score'], face['sample'].cam_method))
        return path

    def write_result(self, index: int, result: dict) -> None:
        """Write an input's ``<name>.json``.

        Args:
            index (int): The input's position.
            result (dict): Its result.
        """
        if self.out_dir is not None:
            write_result_json(
                result, osp.join(self.out_dir, f'{self.names[index]}.json'))

    def write_summary(self, results: Sequence[dict]) -> Optional[str]:
        """Write ``summary.csv``, one row per input.

        Args:
            results (Sequence[dict]): The results of the call.

        Returns:
            str | None: The CSV's path; None without ``out_dir``.
        """
        if self.out_dir is None:
            return None
        path = osp.join(self.out_dir, 'summary.csv')
        write_summary_csv(results, path)
        return path
