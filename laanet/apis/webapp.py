# Copyright (c) laanet contributors. All rights reserved.
"""What the web app (``demo/gradio_app.py``) shows for one input.

The app is a thin layer: :func:`score_for_app` runs
:class:`~laanet.apis.DeepfakeInferencer` exactly as ``demo/video_demo.py``
does (``out_dir`` with heatmap overlays and the annotated video), so the
result JSON it offers is the file the CLI writes; this module only picks
the files up and words the verdict. The frame plot is
:func:`~laanet.visualization.plot_frame_scores`'s, the overlays and the
annotated video :class:`~laanet.visualization.DeepfakeVisualizer`'s. No
gradio here, so the module is tested without a browser.
"""
import os.path as osp
from typing import Callable, List, Optional, Tuple

from laanet.evaluation.calibration import calibration_text
from laanet.utils.media import reencode_video
from laanet.visualization import plot_frame_scores
from .cam_explainer import CAM_SUFFIX
from .writers import unique_names

#: Where the annotated video goes after re-encoding for browsers.
BROWSER_VIDEO_SUFFIX = '_h264.mp4'


def verdict_markdown(result: dict) -> str:
    """The verdict of one result, as Markdown.

    Args:
        result (dict): A result of :class:`~laanet.apis.DeepfakeInferencer`.

    Returns:
        str: ``P(fake) = 0.8731 → fake (threshold 0.5)`` with the counts of
        frames and faces, then how the verdict was made (the calibration's
        set and operating point, or ``uncalibrated threshold``); the
        reason when no face was found; the error
        when the input could not be read. The file is named by its base
        name.
    """
    name = osp.basename(result['file'])
    if result['error']:
        return f'**Error** ({name}): {result["error"]}'
    if result['score'] is None:
        return (f'**No score** for {name}: {result["reason"]} '
                f'(threshold {result["threshold"]:g}).')
    faces = sum(len(f['faces']) for f in result['frames'])
    text = (f'**P(fake) = {result["score"]:.4f} → {result["label"]}** '
            f'(threshold {result["threshold"]:g}) for {name}: '
            f'{result["num_frames"]} frame(s), {faces} face(s), '
            f'{len(result["no_face_frames"])} frame(s) without a face.')
    if 'clips' in result:  # a clip model (FakeSTormer)
        text += (f' Scored {len(result["clips"])} clip(s) of '
                 f'{result["clip_len"]} consecutive frames of a tracked '
                 'face; P(fake) is the sigmoid of their mean logit.')
    text += f'\n\nVerdict: {calibration_text(result)}.'
    for warning in result['warnings']:
        text += f'\n\nWarning: {warning}'
    return text


def overlay_captions(result: dict) -> List[str]:
    """Captions of the heatmap overlays, in the order they are written.

    Args:
        result (dict): The input's result.

    Returns:
        list[str]: ``frame <index>, face <k>: P(fake) <score>`` (and
        ``(ignored)`` for faces too small to score the frame), one per
        face, frames in order; for a clip model ``clip <c>`` follows the
        face (its score is the clip's).
    """
    return [
        f'frame {fr["index"]}, face {k}' +
        (f' (clip {face["clip"]})' if 'clip' in face else '') +
        f': P(fake) {face["score"]:.3f}' +
        (' (ignored)' if face['ignored'] else '')
        for fr in result['frames'] for k, face in enumerate(fr['faces'])
    ]


def score_for_app(inferencer,
                  path: str,
                  work_dir: str,
                  progress: Optional[Callable[[str, int, int], None]] = None
                  ) -> dict:
    """Score one uploaded file and gather what the page shows.

    Args:
        inferencer (DeepfakeInferencer): The loaded model.
        path (str): The uploaded image or video.
        work_dir (str): An empty folder for this request's files.
        progress (callable, optional): See ``DeepfakeInferencer``.

    Returns:
        dict: ``result`` (the JSON-ready result), ``verdict`` (Markdown),
        ``json`` (the result file, as the CLI writes it), ``plot`` (PNG
        of P(fake) per frame, None without a scored frame), ``overlays``
        (list of (file, caption)), ``cams`` (the same for the CAM
        overlays of an inferencer with ``cam``; empty without),
        ``gallery`` (each face's overlay followed by its CAM overlay) and
        ``video`` (the annotated video re-encoded to H.264 for browsers;
        None for images and errors).
    """
    out = inferencer(
        path,
        out_dir=work_dir,
        save_heatmaps=True,
        save_video=True,
        progress=progress)
    (result, ), (files, ) = out['predictions'], out['files']
    name = unique_names([path])[0]
    overlays = [
        f for f in files if f.endswith('.jpg') and not f.endswith(CAM_SUFFIX)
    ]
    captions = overlay_captions(result)
    if len(captions) != len(overlays):
        raise RuntimeError(f'{path}: {len(overlays)} overlays written for '
                           f'{len(captions)} faces')
    cams = cam_overlays(result, files, captions)
    video = None
    videos = [f for f in files if f.endswith('.mp4')]
    if videos:
        root = osp.splitext(videos[0])[0]
        video = reencode_video(videos[0], root + BROWSER_VIDEO_SUFFIX, 18)
    plot = None
    if any(f['score'] is not None for f in result['frames']):
        plot = plot_frame_scores(result, osp.join(work_dir, 'frames.png'))
    pairs: List[Tuple[str, str]] = list(zip(overlays, captions))
    gallery = [p for i, pair in enumerate(pairs)
               for p in [pair] + cams[i:i + 1]]
    return dict(
        result=result,
        verdict=verdict_markdown(result),
        json=osp.join(work_dir, f'{name}.json'),
        plot=plot,
        overlays=pairs,
        cams=cams,
        gallery=gallery,
        video=video)


def cam_overlays(result: dict, files: List[str],
                 captions: List[str]) -> List[Tuple[str, str]]:
    """The CAM overlays written for an input, with their captions.

    Args:
        result (dict): The input's result (``explanation`` when the
            inferencer draws CAMs).
        files (list[str]): The files written for it.
        captions (list[str]): The faces' captions (:func:`overlay_captions`).

    Returns:
        list[tuple[str, str]]: (file, caption + the method and layer), one
        per face; empty without CAM.

    Raises:
        RuntimeError: If CAMs were drawn for some faces only.
    """
    cams = [f for f in files if f.endswith(CAM_SUFFIX)]
    if not cams:
        return []
    if len(cams) != len(captions):
        raise RuntimeError(f'{result["file"]}: {len(cams)} CAM overlays '
                           f'written for {len(captions)} faces')
    how = result['explanation']
    return [(f, f'{c}, {how["method"]} on {how["target_layer"]}')
            for f, c in zip(cams, captions)]
