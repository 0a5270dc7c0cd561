# Copyright (c) laanet contributors. All rights reserved.
"""Score images, videos and folders of them with a LAA-Net detector."""
import copy
import csv
import json
import os
import os.path as osp
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import cv2
import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import Compose, pseudo_collate
from mmengine.infer import BaseInferencer
from mmengine.logging import print_log
from rich.progress import track
from torch import nn

from laanet.registry import INFERENCERS, TASK_UTILS
from laanet.utils.atomic_io import atomic_write, atomic_write_image
from .inference import init_model
from .media_io import (DEFAULT_MAX_PIXELS, MediaReadError, list_folder,
                       media_kind, read_image, to_bgr_uint8)

#: The face crop of the data preparation (``extract_faces.py``): a square
#: window of 1.25 times the detected box, resized to 256 x 256.
DEFAULT_FACE_CROP = dict(margin=1.25, size=256)
#: Faces smaller than this fraction of the largest face's area are ignored.
DEFAULT_MIN_FACE_AREA_RATIO = 0.5
CSV_FIELDS = ('file', 'type', 'score', 'label', 'threshold', 'num_frames',
              'face_frames', 'no_face_frames', 'reason', 'error')


def _evaluator_settings(cfg: Config) -> dict:
    """Threshold and video rule of the config's ``DeepfakeMetric``."""
    settings = dict(threshold=0.5, video_score='logit_mean')
    evaluator = cfg.get('test_evaluator', cfg.get('val_evaluator'))
    evaluators = evaluator if isinstance(evaluator,
                                         (list, tuple)) else [evaluator]
    for ev in evaluators:
        if isinstance(ev, dict) and 'DeepfakeMetric' in str(ev.get('type')):
            settings['threshold'] = float(ev.get('threshold', 0.5))
            settings['video_score'] = ev.get('video_score', 'logit_mean')
            break
    return settings


def _sigmoid(x: float) -> float:
    """A numerically stable logistic function of a float."""
    return float(np.exp(-np.logaddexp(0.0, -x)))


@INFERENCERS.register_module()
class DeepfakeInferencer(BaseInferencer):
    """Find the faces of images and videos and score them: P(fake).

    What the model sees is what the test set saw: faces are found with a
    data-preparation face detector (``TASK_UTILS``, dlib's HOG by
    default) and cropped with the data preparation's margin and size
    (``face_crop_cfg`` in the config, else ``margin=1.25, size=256``),
    then go through the config's test pipeline (its loading steps
    dropped), e.g. the official 5-px margin cut and letterbox to the input
    size. Flip test-time augmentation follows the model's ``test_cfg``.

    Scores are probabilities of *fake*:

    - a face: the model's P(fake);
    - a frame: the maximum over its faces; faces smaller than
      ``min_face_area_ratio`` of the largest face's area are scored but
      ignored;
    - a video: the mean over the frames that have a face, with the rule of
      the config's ``DeepfakeMetric`` (``logit_mean``: sigmoid of the mean
      frame logit, the official choice; ``prob_mean``: the mean
      probability). ``num_frames`` evenly spaced frames are decoded with
      seeks (32 by default).

    The label is ``'fake'`` when the score is at least the metric's
    threshold (0.5 by default), which each result states.

    An input that cannot be scored gets a result instead of an exception:
    no face gives ``score=None`` and a ``reason``; an unreadable or
    non-media file gives an ``error`` naming it.

    Args:
        model (str | Config): Config file or object.
        weights (str, optional): Checkpoint (laanet or official). None
            keeps random weights.
        device (str, optional): ``'cpu'``, ``'cuda'``... Defaults to the
            available device.
        face_detector (dict | callable, optional): Detector config
            (``TASK_UTILS``) or object: ``detector(bgr) -> (K, 5)``.
            Defaults to ``DlibHOGFaceDetector(max_side=2048)``.
        face_crop_cfg (dict, optional): ``margin`` and ``size`` of the face
            crop; overrides the config's ``face_crop_cfg``.
        num_frames (int): Frames sampled per video. Defaults to 32.
        min_face_area_ratio (float): See above. Defaults to 0.5.
        batch_size (int): Face crops per forward pass. Defaults to 8.
        max_pixels (int): Larger images are refused. Defaults to 2**28.
        show_progress (bool): Progress bars for folders and videos.
            Defaults to True.
    """

    preprocess_kwargs: set = {'num_frames'}
    forward_kwargs: set = set()
    visualize_kwargs: set = {'save_heatmaps', 'save_video'}
    postprocess_kwargs: set = {'out_dir'}

    def __init__(self,
                 model: Union[str, Config],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 face_detector: Optional[Union[dict, Callable]] = None,
                 face_crop_cfg: Optional[dict] = None,
                 num_frames: int = 32,
                 min_face_area_ratio: float = DEFAULT_MIN_FACE_AREA_RATIO,
                 batch_size: int = 8,
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 show_progress: bool = True) -> None:
        if num_frames < 1:
            raise ValueError(f'num_frames must be >= 1, got {num_frames}')
        if not 0 <= min_face_area_ratio <= 1:
            raise ValueError('min_face_area_ratio must lie in [0, 1], got '
                             f'{min_face_area_ratio}')
        if isinstance(model, str) and not osp.isfile(model):
            raise FileNotFoundError(f'config file {model} does not exist')
        if device is None:
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
        super().__init__(
            model=model,
            weights=weights,
            device=device,
            scope='laanet',
            show_progress=show_progress)
        self.device = device
        crop = dict(DEFAULT_FACE_CROP)
        crop.update(self.cfg.get('face_crop_cfg', None) or {})
        crop.update(face_crop_cfg or {})
        self.face_crop_cfg = crop
        self.num_frames = num_frames
        self.min_face_area_ratio = min_face_area_ratio
        self.batch_size = batch_size
        self.max_pixels = max_pixels
        settings = _evaluator_settings(self.cfg)
        self.threshold = settings['threshold']
        self.video_score = settings['video_score']
        if self.video_score not in ('logit_mean', 'prob_mean'):
            raise ValueError('Unknown video_score '
                             f'{self.video_score!r} in the test evaluator')
        if face_detector is None:
            face_detector = dict(type='DlibHOGFaceDetector', max_side=2048)
        if isinstance(face_detector, dict):
            face_detector = TASK_UTILS.build(face_detector)
        self.face_detector = face_detector
        # Heatmaps are cheap next to the backbone: always predict them.
        if getattr(self.model, 'heatmap_head', None) is not None:
            self.model.test_cfg['output_heatmaps'] = True

    # ------------------------------------------------------------------
    # BaseInferencer hooks
    # ------------------------------------------------------------------
    def _init_model(self,
                    cfg: ConfigDict,
                    weights: Optional[str],
                    device: str = 'cpu') -> nn.Module:
        """Build the model with :func:`init_model` (official checkpoints are
        converted on the fly)."""
        return init_model(
            Config(copy.deepcopy(cfg.to_dict())), weights, device)

    def _init_pipeline(self, cfg: ConfigDict) -> Compose:
        """The config's test pipeline without its loading steps.

        The first of ``test_dataloader.dataset.pipeline``,
        ``test_pipeline`` and ``val_pipeline`` that exists, with every
        ``Load*`` transform removed (inference feeds decoded face crops).
        Without one: the official evaluation transform,
        ``CenterCropLetterbox(margin=5)`` to the ``heatmap_cfg`` input
        size, and ``PackDeepfakeInputs``.
        """
        pipeline = None
        test_loader = cfg.get('test_dataloader')
        if test_loader is not None:
            pipeline = test_loader.get('dataset', {}).get('pipeline')
        if pipeline is None:
            pipeline = cfg.get('test_pipeline')
        if pipeline is None:
            size = tuple(
                cfg.get('heatmap_cfg', {}).get('input_size', (384, 384)))
            pipeline = [
                dict(type='CenterCropLetterbox', margin=5, scale=size),
                dict(type='PackDeepfakeInputs', pair=False)
            ]
            print_log(
                'DeepfakeInferencer: the config has no test pipeline; '
                f'using {pipeline}.',
                logger='current')
        pipeline = [
            copy.deepcopy(t) for t in pipeline
            if not str(t.get('type', '')).startswith('Load')
        ]
        for t in pipeline:
            if t.get('type') == 'PackDeepfakeInputs' and t.get('pair'):
                raise ValueError('The test pipeline packs (real, fake) '
                                 'pairs; inference needs pair=False.')
        return Compose(pipeline)

    def _init_visualizer(self, cfg: ConfigDict) -> None:
        """Inference draws with OpenCV; no MMEngine visualizer is built."""
        return None

    def _inputs_to_list(self, inputs: Any) -> list:
        """Expand a path, a folder, an array or a list of them."""
        if isinstance(inputs, (list, tuple)):
            out = []
            for item in inputs:
                out.extend(self._inputs_to_list(item))
            return out
        if isinstance(inputs, np.ndarray):
            return [inputs]
        inputs = os.fspath(inputs)
        if osp.isdir(inputs):
            return list_folder(inputs)
        return [inputs]

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def preprocess(self,
                   inputs: Union[str, np.ndarray],
                   num_frames: Optional[int] = None) -> dict:
        """Decode one input into frames.

        Args:
            inputs (str | np.ndarray): A file or an image array (BGR).
            num_frames (int, optional): Frames to sample from a video.
                Defaults to ``self.num_frames``.

        Returns:
            dict: ``file``, ``type`` (``'image'``/``'video'``), ``indices``,
            ``frames`` (BGR uint8), ``fps`` and ``warnings``.

        Raises:
            MediaReadError: If the input cannot be read.
        """
        num_frames = num_frames or self.num_frames
        if isinstance(inputs, np.ndarray):
            img = to_bgr_uint8(inputs)
            return dict(
                file='<array>',
                type='image',
                indices=[0],
                frames=[img],
                fps=None,
                warnings=[])
        kind = media_kind(inputs)
        if kind == 'image':
            img = read_image(inputs, self.max_pixels)
            return dict(
                file=inputs,
                type='image',
                indices=[0],
                frames=[img],
                fps=None,
                warnings=[])
        from laanet.utils.video import VideoReadError, read_sampled_frames
        try:
            sampled = read_sampled_frames(inputs, num_frames)
        except VideoReadError as err:
            raise MediaReadError(str(err)) from err
        cap = cv2.VideoCapture(inputs)
        fps = cap.get(cv2.CAP_PROP_FPS) or None
        cap.release()
        return dict(
            file=inputs,
            type='video',
            indices=list(sampled.indices),
            frames=list(sampled.frames),
            fps=fps,
            warnings=list(sampled.warnings))

    def detect(self,
               frames: Sequence[np.ndarray],
               description: str = '') -> List[np.ndarray]:
        """Detect the faces of every frame.

        Args:
            frames (Sequence[np.ndarray]): BGR uint8 frames.
            description (str): Progress bar text (several frames only).

        Returns:
            list[np.ndarray]: (K, 5) boxes per frame.
        """
        it = frames
        if self.show_progress and len(frames) > 1:
            it = track(frames, description=description or 'Faces')
        return [np.asarray(self.face_detector(f)).reshape(-1, 5) for f in it]

    def _crop_faces(self, frame: np.ndarray, boxes: np.ndarray) -> list:
        """Crop every face of a frame like the data preparation."""
        from laanet.datasets.face_detectors import crop_face
        return [
            crop_face(
                frame,
                box,
                margin=float(self.face_crop_cfg['margin']),
                size=int(self.face_crop_cfg['size']))['img'] for box in boxes
        ]

    @torch.no_grad()
    def forward(self, crops: Sequence[dict]) -> List[dict]:
        """Score face crops.

        Args:
            crops (Sequence[dict]): ``img`` (BGR uint8 crop) and meta keys.

        Returns:
            list[dict]: Per crop: ``score`` (P(fake)), ``logit``,
            ``heatmap`` (h, w) in [0, 1] or None, and ``input`` (the
            network input as a BGR uint8 image).
        """
        outputs = []
        for start in range(0, len(crops), self.batch_size):
            items = [
                self.pipeline(dict(c))
                for c in crops[start:start + self.batch_size]
            ]
            data = pseudo_collate(items)
            samples = self.model.test_step(data)
            for item, sample in zip(items, samples):
                heatmap = None
                if 'pred_fields' in sample and 'heatmap' in \
                        sample.pred_fields:
                    heatmap = sample.pred_fields.heatmap.float().cpu().numpy(
                    ).reshape(sample.pred_fields.heatmap.shape[-2:])
                outputs.append(
                    dict(
                        score=float(sample.pred_score.reshape(-1)[0]),
                        logit=float(sample.pred_logit.reshape(-1)[0]),
                        heatmap=heatmap,
                        input=item['inputs'].permute(1, 2, 0).cpu().numpy()))
        return outputs

    def predict_media(self, media: dict) -> dict:
        """Detect, crop and score the faces of decoded media.

        Args:
            media (dict): The output of :meth:`preprocess`.

        Returns:
            dict: ``result`` (the JSON-ready result) and ``faces`` (per
            frame, per face: box, crop input, heatmap, score), for
            :meth:`visualize`.
        """
        name = osp.basename(media['file'])
        all_boxes = self.detect(media['frames'], f'Faces in {name}')
        crops, owners = [], []
        for fi, (frame, boxes) in enumerate(zip(media['frames'], all_boxes)):
            for fk, img in enumerate(self._crop_faces(frame, boxes)):
                crops.append(
                    dict(
                        img=img,
                        gt_label=-1,
                        img_path=media['file'],
                        video_id=media['file'],
                        frame_idx=media['indices'][fi],
                        ori_shape=img.shape[:2],
                        img_shape=img.shape[:2]))
                owners.append((fi, fk))
        outputs = self.forward(crops)
        per_frame: List[List[dict]] = [[] for _ in media['frames']]
        for (fi, fk), out in zip(owners, outputs):
            box = all_boxes[fi][fk]
            out.update(
                box=[round(float(v), 1) for v in box[:4]],
                detector_score=round(float(box[4]), 4))
            per_frame[fi].append(out)

        frames, frame_logits, frame_scores, no_face = [], [], [], []
        for fi, faces in enumerate(per_frame):
            index = int(media['indices'][fi])
            if faces:
                areas = [
                    (f['box'][2] - f['box'][0]) * (f['box'][3] - f['box'][1])
                    for f in faces
                ]
                keep = [
                    a >= self.min_face_area_ratio * max(areas) for a in areas
                ]
                for face, k in zip(faces, keep):
                    face['ignored'] = not k
                best = max((f for f, k in zip(faces, keep) if k),
                           key=lambda f: f['logit'])
                frame_scores.append(best['score'])
                frame_logits.append(best['logit'])
                score = round(best['score'], 6)
            else:
                no_face.append(index)
                score = None
            frames.append(
                dict(
                    index=index,
                    score=score,
                    faces=[
                        dict(
                            box=f['box'],
                            score=round(f['score'], 6),
                            detector_score=f['detector_score'],
                            ignored=f['ignored']) for f in faces
                    ]))

        result = dict(
            file=media['file'],
            type=media['type'],
            score=None,
            label=None,
            threshold=self.threshold,
            frames=frames,
            no_face_frames=no_face,
            num_frames=len(frames),
            score_rule=self._score_rule(media['type']),
            reason=None,
            error=None,
            warnings=list(media.get('warnings', [])))
        if frame_scores:
            if media['type'] == 'video' and self.video_score == 'logit_mean':
                score = _sigmoid(float(np.mean(frame_logits)))
            else:
                score = float(np.mean(frame_scores))
            result['score'] = round(score, 6)
            result['label'] = 'fake' if score >= self.threshold else 'real'
        else:
            result['reason'] = (f'no face found in the {len(frames)} sampled '
                                'frames' if media['type'] == 'video' else
                                'no face found in the image')
        return dict(result=result, faces=per_frame)

    def _score_rule(self, kind: str) -> str:
        """The sentence that says how the score was made."""
        face = ('P(fake) of a face; a frame scores the max over its faces '
                f'(faces under {self.min_face_area_ratio:g} of the largest '
                'face area ignored)')
        if kind != 'video':
            return face
        if self.video_score == 'logit_mean':
            return (face + '; the video scores the sigmoid of the mean '
                    'frame logit over frames with a face')
        return (face + '; the video scores the mean frame probability over '
                'frames with a face')

    def error_result(self, file: str, error: str) -> dict:
        """The result of an input that could not be read.

        Args:
            file (str): The input.
            error (str): What went wrong, naming the file.

        Returns:
            dict: A result with ``score=None`` and ``error``.
        """
        return dict(
            file=file,
            type=None,
            score=None,
            label=None,
            threshold=self.threshold,
            frames=[],
            no_face_frames=[],
            num_frames=0,
            score_rule=None,
            reason=None,
            error=error,
            warnings=[])

    def visualize(self,
                  media: dict,
                  pred: dict,
                  out_dir: str,
                  name: str,
                  save_heatmaps: bool = True,
                  save_video: bool = False) -> List[str]:
        """Write heatmap overlays and, optionally, an annotated video.

        Overlays: ``out_dir/<name>/frame<index>_face<k>.jpg``, the network
        input of each face with the predicted artifact heatmap (JET) and
        the face's P(fake). Annotated video (videos only):
        ``out_dir/<name>_annotated.mp4``, the sampled frames with boxes
        (red: fake, green: real, grey: ignored) and probabilities.

        Args:
            media (dict): The output of :meth:`preprocess`.
            pred (dict): The output of :meth:`predict_media`.
            out_dir (str): Output folder.
            name (str): Base name of the outputs.
            save_heatmaps (bool): Write overlays. Defaults to True.
            save_video (bool): Write the annotated video. Defaults to False.

        Returns:
            list[str]: The files written.
        """
        from laanet.visualization.deepfake_visualizer import overlay_heatmap
        written = []
        if save_heatmaps:
            for fi, faces in enumerate(pred['faces']):
                for fk, face in enumerate(faces):
                    rgb = cv2.cvtColor(face['input'], cv2.COLOR_BGR2RGB)
                    over = overlay_heatmap(rgb, face['heatmap'])
                    over = cv2.cvtColor(over, cv2.COLOR_RGB2BGR)
                    _put_label(over, f'P(fake) {face["score"]:.3f}',
                               face['score'] >= self.threshold)
                    path = osp.join(
                        out_dir, name,
                        f'frame{media["indices"][fi]:05d}_face{fk}.jpg')
                    atomic_write_image(path, over)
                    written.append(path)
        if save_video and media['type'] == 'video':
            path = osp.join(out_dir, f'{name}_annotated.mp4')
            frames = [
                self._annotate(frame, faces, result_frame)
                for frame, faces, result_frame in zip(
                    media['frames'], pred['faces'], pred['result']['frames'])
            ]
            _write_video(path, frames, fps=4.)
            written.append(path)
        return written

    def _annotate(self, frame: np.ndarray, faces: List[dict],
                  result_frame: dict) -> np.ndarray:
        """Draw boxes and probabilities on a frame."""
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
        text = (f'frame {result_frame["index"]}: no face'
                if result_frame['score'] is None else
                f'frame {result_frame["index"]}: P(fake) '
                f'{result_frame["score"]:.3f}')
        cv2.putText(out, text, (4, 14 * thick), cv2.FONT_HERSHEY_SIMPLEX,
                    0.4 * thick, (255, 255, 255), thick)
        return out

    def postprocess(self, result: dict, out_dir: Optional[str],
                    name: str) -> Optional[str]:
        """Write the result as ``out_dir/<name>.json`` (atomically).

        Args:
            result (dict): The result.
            out_dir (str, optional): Output folder; None writes nothing.
            name (str): Base name.

        Returns:
            str | None: The JSON file.
        """
        if out_dir is None:
            return None
        path = osp.join(out_dir, f'{name}.json')
        atomic_write(path, lambda f: json.dump(result, f, indent=2))
        return path

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    def __call__(self,
                 inputs: Any,
                 out_dir: Optional[str] = None,
                 num_frames: Optional[int] = None,
                 save_heatmaps: bool = True,
                 save_video: bool = False,
                 summary_csv: Optional[bool] = None) -> Dict[str, Any]:
        """Score inputs and write their results.

        Args:
            inputs: A file, a folder (its files, not recursive), a BGR
                image array, or a list of them.
            out_dir (str, optional): Where to write ``<name>.json``,
                overlays, videos and ``summary.csv``. None writes nothing.
            num_frames (int, optional): Frames per video. Defaults to
                ``self.num_frames``.
            save_heatmaps (bool): Write heatmap overlays. Defaults to True.
            save_video (bool): Write annotated videos. Defaults to False.
            summary_csv (bool, optional): Write ``summary.csv``. Defaults
                to True when ``inputs`` holds several files or a folder.

        Returns:
            dict: ``predictions`` (one result per input, in order) and
            ``summary_csv`` (its path or None).
        """
        items = self._inputs_to_list(inputs)
        if summary_csv is None:
            summary_csv = len(items) > 1 or (not isinstance(
                inputs, np.ndarray) and not isinstance(inputs, (list, tuple))
                                             and osp.isdir(os.fspath(inputs)))
        names = _unique_names(items)
        results = []
        it = items
        if self.show_progress and len(items) > 1:
            it = track(items, description='Inputs')
        for item, name in zip(it, names):
            file = item if isinstance(item, str) else '<array>'
            try:
                media = self.preprocess(item, num_frames=num_frames)
            except MediaReadError as err:
                result = self.error_result(file, str(err))
                print_log(
                    f'DeepfakeInferencer: {err}', logger='current', level=30)
            else:
                try:
                    pred = self.predict_media(media)
                    result = pred['result']
                    if out_dir is not None:
                        self.visualize(media, pred, out_dir, name,
                                       save_heatmaps, save_video)
                except Exception as err:
                    if len(items) == 1:
                        raise
                    # Folder mode: record the failure, go on with the rest.
                    result = self.error_result(
                        file, f'{file}: {type(err).__name__}: {err}')
                    print_log(
                        f'DeepfakeInferencer: {file} failed: '
                        f'{type(err).__name__}: {err}',
                        logger='current',
                        level=30)
            self.postprocess(result, out_dir, name)
            results.append(result)
        csv_path = None
        if out_dir is not None and summary_csv:
            csv_path = osp.join(out_dir, 'summary.csv')
            write_summary_csv(results, csv_path)
        return dict(predictions=results, summary_csv=csv_path)


def write_summary_csv(results: Sequence[dict], path: str) -> None:
    """Write one CSV row per result (atomically).

    Args:
        results (Sequence[dict]): Results of :class:`DeepfakeInferencer`.
        path (str): The CSV file.
    """

    def write(f):
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in results:
            face_frames = sum(fr['score'] is not None for fr in r['frames'])
            writer.writerow(
                dict(
                    file=r['file'],
                    type=r['type'] or '',
                    score='' if r['score'] is None else r['score'],
                    label=r['label'] or '',
                    threshold=r['threshold'],
                    num_frames=r['num_frames'],
                    face_frames=face_frames,
                    no_face_frames=len(r['no_face_frames']),
                    reason=r['reason'] or '',
                    error=r['error'] or ''))

    atomic_write(path, write)


def _unique_names(items: Sequence) -> List[str]:
    """Output base names: the file stem, with the extension added where
    two inputs share a stem, and ``array<i>`` for arrays."""
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


def _put_label(img: np.ndarray, text: str, fake: bool) -> None:
    """Write a caption in the top-left corner, in place."""
    scale = max(0.4, img.shape[1] / 640)
    thick = max(1, round(scale * 1.5))
    colour = (0, 0, 255) if fake else (0, 200, 0)
    (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    cv2.rectangle(img, (0, 0), (w + 8, h + 10), (0, 0, 0), -1)
    cv2.putText(img, text, (4, h + 4), cv2.FONT_HERSHEY_SIMPLEX, scale, colour,
                thick)


def _write_video(path: str, frames: Sequence[np.ndarray], fps: float) -> None:
    """Write frames as an mp4 (mp4v) video, through a temporary file."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    tmp = osp.join(
        osp.dirname(osp.abspath(path)), f'.{osp.basename(path)}.tmp.mp4')
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV cannot write the video {path}')
    try:
        for frame in frames:
            writer.write(frame)
    finally:
        writer.release()
    os.replace(tmp, path)
