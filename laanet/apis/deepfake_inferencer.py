# Copyright (c) laanet contributors. All rights reserved.
"""Score images, videos and folders of them with a LAA-Net detector.

Owns the inference steps: decode → detect → crop → forward → result.
What it calls instead of doing itself: the face detector and
:func:`~laanet.datasets.face_detectors.crop_face` (the data preparation's
crop), the config's test pipeline, the score rules of
:mod:`laanet.evaluation.functional.video_scores` (shared with
:class:`~laanet.evaluation.DeepfakeMetric`), the drawings of
:class:`~laanet.visualization.DeepfakeVisualizer` and the file writers of
:mod:`laanet.apis.media_io`. (About 450 lines, most of them the
docstrings of the public steps.)
"""
import copy
import os
import os.path as osp
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.logging import print_log
from mmengine.registry import init_default_scope
from rich.progress import track

from laanet.registry import INFERENCERS, TASK_UTILS
from laanet.utils.atomic_io import atomic_write_image, atomic_write_video
from .inference import init_model, load_config
from .inference_results import build_result, empty_result, metric_settings
from .inference_progress import InferenceProgress
from .media_prefetcher import (DONE, FAILED, FRAME, MEDIA, READ_ERROR,
                               MediaPrefetcher)
from .stage_times import StageTimes
from .media_io import (DEFAULT_MAX_PIXELS, MediaReadError, decode_media,
                       expand_inputs, sampled_fps, unique_names,
                       write_result_json, write_summary_csv)

#: Faces smaller than this fraction of the largest face's area are ignored.
DEFAULT_MIN_FACE_AREA_RATIO = 0.5


@INFERENCERS.register_module()
class DeepfakeInferencer:
    """Find the faces of images and videos and score them: P(fake).

    Faces are found and cropped as the data preparation does: the detector,
    margin and size of
    :data:`~laanet.datasets.face_detectors.FACE_PREP_CFG` (which
    ``extract_faces.py`` uses too; ``face_crop_cfg`` in the config or the
    arguments override the crop), then go through the config's test
    pipeline (its loading steps dropped), e.g. the official 5-px margin cut
    and letterbox to the input size. Flip test-time augmentation follows
    the model's ``test_cfg``. Unlike the extraction, which keeps the best
    face of a frame, inference scores every face.

    Scores are probabilities of *fake* (:mod:`.inference_results`): a
    face's is the model's; a frame's is its highest among faces not
    smaller than ``min_face_area_ratio`` of the largest; a video's comes
    from the frames with a face by the rule of the config's
    ``DeepfakeMetric`` (``logit_mean``, the official choice, or
    ``prob_mean``). ``num_frames`` evenly spaced frames are decoded.

    The label is ``'fake'`` when the score is at least the metric's
    threshold (0.5 by default), which each result states.

    An input that cannot be scored gets a result instead of an exception:
    no face gives ``score=None`` and a ``reason``; an unreadable or
    non-media file gives an ``error`` naming it.

    This class does not derive from :class:`mmengine.infer.BaseInferencer`:
    its inputs are media files (not dataset samples), one input gives many
    faces, and its outputs are files, so the base class's
    ``preprocess/forward/visualize/postprocess`` signatures do not fit.

    Args:
        model (str | Config): Config file or object.
        weights (str, optional): Checkpoint (laanet or official). None
            keeps random weights.
        device (str, optional): ``'cpu'``, ``'cuda'``... Defaults to the
            available device.
        face_detector (dict | callable, optional): Detector config
            (``TASK_UTILS``) or object: ``detector(bgr) -> (K, 5)``.
            Defaults to ``FACE_PREP_CFG['detector']``.
        face_crop_cfg (dict, optional): ``margin`` and ``size`` of the face
            crop; overrides the config's ``face_crop_cfg``.
        num_frames (int): Frames sampled per video. Defaults to 32.
        min_face_area_ratio (float): See above. Defaults to 0.5.
        batch_size (int): Face crops per forward pass. Defaults to 8.
        max_pixels (int): Larger images are refused. Defaults to 2**28.
        show_progress (bool): Progress bars for folders and videos.
            Defaults to True.
        overlap (bool): Decode and detect in a background thread, ahead
            of the model (:class:`~laanet.apis.MediaPrefetcher`): the
            faces of a video's frames are scored while its next frames,
            and the next inputs, are decoded and searched for faces, and
            the faces of several frames share a forward. The results are
            the sequential path's (``overlap=False``: each input
            decoded, then detected, then scored). Defaults to True.
        queue_size (int): With ``overlap``, decoded frames (with their
            faces) waiting for the model at most. Defaults to 8.
        compile (bool | dict): ``torch.compile`` the model's parts
            (:func:`~laanet.engine.compile_model`; True or
            ``torch.compile`` keyword arguments). The first batches
            compile. Defaults to False.
        backend (str): ``'pytorch'``, or ``'onnxruntime'`` to run a graph
            exported by ``tools/deployment/pytorch2onnx.py``
            (:class:`~laanet.apis.OnnxBackend`); ``weights`` is then that
            ``.onnx`` file and ``model`` the config it was exported from.
            Defaults to ``'pytorch'``.
    """

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
                 show_progress: bool = True,
                 overlap: bool = True,
                 queue_size: int = 8,
                 compile: Union[bool, dict] = False,
                 backend: str = 'pytorch') -> None:
        if num_frames < 1:
            raise ValueError(f'num_frames must be >= 1, got {num_frames}')
        if not 0 <= min_face_area_ratio <= 1:
            raise ValueError('min_face_area_ratio must lie in [0, 1], got '
                             f'{min_face_area_ratio}')
        cfg = load_config(model)
        if device is None:
            device = 'cuda' if torch.cuda.is_available() else 'cpu'
        init_default_scope(cfg.get('default_scope', 'laanet'))
        self.cfg = cfg
        self.device = device
        self.show_progress = show_progress
        if backend == 'pytorch':
            self.model = init_model(cfg, weights, device)
            from laanet.engine import compile_model
            compile_model(self.model, compile)
        elif backend == 'onnxruntime':
            if weights is None:
                raise ValueError('backend onnxruntime needs weights: the '
                                 '.onnx file')
            if compile:
                raise ValueError('compile is for the pytorch backend')
            from .onnx_backend import OnnxBackend
            self.model = OnnxBackend(weights, cfg, device)
        else:
            raise ValueError(f'Unknown backend {backend!r}; use '
                             "'pytorch' or 'onnxruntime'")
        self.backend = backend
        self._progress_callback: Optional[Callable[[str, int, int],
                                                   None]] = None
        self.overlap = overlap
        self.queue_size = queue_size
        #: The stage times of the last call (``<stage>_s``, ``wall_s``).
        self.last_profile: Dict[str, float] = {}
        self.pipeline = self._init_pipeline(cfg)
        from laanet.datasets.face_detectors import FACE_PREP_CFG
        crop = dict(margin=FACE_PREP_CFG['margin'], size=FACE_PREP_CFG['size'])
        crop.update(cfg.get('face_crop_cfg', None) or {})
        crop.update(face_crop_cfg or {})
        self.face_crop_cfg = crop
        self.num_frames = num_frames
        self.min_face_area_ratio = min_face_area_ratio
        self.batch_size = batch_size
        self.max_pixels = max_pixels
        settings = metric_settings(cfg)
        self.threshold = settings['threshold']
        self.video_score = settings['video_score']
        if self.video_score not in ('logit_mean', 'prob_mean'):
            raise ValueError('Unknown video_score '
                             f'{self.video_score!r} in the test evaluator')
        if face_detector is None:
            face_detector = copy.deepcopy(FACE_PREP_CFG['detector'])
        if isinstance(face_detector, dict):
            face_detector = TASK_UTILS.build(face_detector)
        self.face_detector = face_detector
        from laanet.visualization import DeepfakeVisualizer
        self.visualizer = DeepfakeVisualizer(
            name=f'deepfake_inferencer_{id(self)}', threshold=self.threshold)
        # Heatmaps are cheap next to the backbone: always predict them, by
        # a per-call test_cfg (the model's own test_cfg is left alone).
        self.predict_cfg = dict(self.model.test_cfg)
        if getattr(self.model, 'heatmap_head', None) is not None:
            self.predict_cfg['output_heatmaps'] = True

    @staticmethod
    def _init_pipeline(cfg: Config) -> Compose:
        """The config's test pipeline without its loading steps.

        The first of ``test_dataloader.dataset.pipeline``,
        ``test_pipeline`` and ``val_pipeline`` that exists, with every
        ``Load*`` transform removed (inference feeds decoded face crops).

        Raises:
            ValueError: If the config has no test pipeline, or one that
                packs (real, fake) pairs.
        """
        from laanet.datasets.transforms.pipeline_utils import strip_loading
        pipeline = None
        test_loader = cfg.get('test_dataloader')
        if test_loader is not None:
            pipeline = test_loader.get('dataset', {}).get('pipeline')
        for key in ('test_pipeline', 'val_pipeline'):
            if pipeline is None:
                pipeline = cfg.get(key)
        if pipeline is None:
            raise ValueError(
                f'{cfg.filename or "the config"} has no test pipeline '
                '(test_dataloader.dataset.pipeline, test_pipeline or '
                'val_pipeline); inference runs the faces through it.')
        pipeline = strip_loading(pipeline)
        for t in pipeline:
            if t.get('type') == 'PackDeepfakeInputs' and t.get('pair'):
                raise ValueError('The test pipeline packs (real, fake) '
                                 'pairs; inference needs pair=False.')
        return Compose(pipeline)

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
            ``frames`` (BGR uint8), ``fps`` and ``num_total`` (the
            source's frame rate and frame count; None for images) and
            ``warnings``.

        Raises:
            MediaReadError: If the input cannot be read.
        """
        return decode_media(inputs, num_frames or self.num_frames,
                            self.max_pixels)

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
        boxes = []
        for f in it:
            boxes.append(np.asarray(self.face_detector(f)).reshape(-1, 5))
            self._report_progress('faces', len(boxes), len(frames))
        return boxes

    def crop_faces(self, frame: np.ndarray, boxes: np.ndarray) -> list:
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
            data = self.model.data_preprocessor(pseudo_collate(items), False)
            samples = self.model.predict(
                data['inputs'], data['data_samples'], self.predict_cfg)
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
            if not self.overlap:  # (overlapped: per frame, not batch)
                self._report_progress('model', len(outputs), len(crops))
        return outputs

    def _report_progress(self, stage: str, done: int, total: int) -> None:
        """Tell the ``progress`` callable of :meth:`__call__`, if any."""
        if self._progress_callback is not None:
            self._progress_callback(stage, done, total)

    @staticmethod
    def face_items(media: dict, frame_index: int, crops: list) -> List[dict]:
        """The inputs of :meth:`forward` for the face crops of one frame.

        Args:
            media (dict): The output of :meth:`preprocess`.
            frame_index (int): The frame's position in ``media['frames']``.
            crops (list): Its face crops (:meth:`crop_faces`).

        Returns:
            list[dict]: ``img`` and the meta keys of each face.
        """
        return [
            dict(
                img=img,
                gt_label=-1,
                img_path=media['file'],
                video_id=media['file'],
                frame_idx=media['indices'][frame_index],
                ori_shape=img.shape[:2],
                img_shape=img.shape[:2]) for img in crops
        ]

    def assemble(self, media: dict, all_boxes: List[np.ndarray],
                 outputs: List[dict]) -> dict:
        """Attach the scores of the faces to their frames and build the
        result.

        Args:
            media (dict): The output of :meth:`preprocess`.
            all_boxes (list[np.ndarray]): (K, 5) boxes per frame.
            outputs (list[dict]): :meth:`forward`'s outputs, the faces in
                frame order.

        Returns:
            dict: See :meth:`predict_media`.
        """
        per_frame: List[List[dict]] = [[] for _ in media['frames']]
        it = iter(outputs)
        for fi, boxes in enumerate(all_boxes):
            for box in boxes:
                out = next(it)
                out.update(
                    box=[round(float(v), 1) for v in box[:4]],
                    detector_score=round(float(box[4]), 4))
                per_frame[fi].append(out)
        result = build_result(media, per_frame, self.threshold,
                              self.video_score, self.min_face_area_ratio)
        return dict(result=result, faces=per_frame)

    def predict_media(self,
                      media: dict,
                      times: Optional[StageTimes] = None) -> dict:
        """Detect, crop and score the faces of decoded media, one stage
        after the other.

        Args:
            media (dict): The output of :meth:`preprocess`.
            times (StageTimes, optional): Add the stage times there.

        Returns:
            dict: ``result`` (the JSON-ready result) and ``faces`` (per
            frame, per face: box, crop input, heatmap, score), for
            :meth:`visualize`.
        """
        times = times or StageTimes()
        name = osp.basename(media['file'])
        with times.time('detect'):
            all_boxes = self.detect(media['frames'], f'Faces in {name}')
        crops = []
        with times.time('crop'):
            for fi, (frame, boxes) in enumerate(
                    zip(media['frames'], all_boxes)):
                crops.extend(
                    self.face_items(media, fi, self.crop_faces(frame,
                                                               boxes)))
        with times.time('forward'):
            outputs = self.forward(crops)
        return self.assemble(media, all_boxes, outputs)

    def error_result(self, file: str, error: str) -> dict:
        """The result of an input that could not be read.

        Args:
            file (str): The input.
            error (str): What went wrong, naming the file.

        Returns:
            dict: A result with ``score=None`` and ``error``.
        """
        result = empty_result(file, None, self.threshold)
        result['error'] = error
        return result

    def visualize(self,
                  media: dict,
                  pred: dict,
                  out_dir: str,
                  name: str,
                  save_heatmaps: bool = True,
                  save_video: bool = False) -> List[str]:
        """Write heatmap overlays and, optionally, an annotated video.

        Overlays: ``out_dir/<name>/frame<index>_face<k>.jpg``, the network
        input of each face with the predicted artifact heatmap and the
        face's P(fake) (:meth:`DeepfakeVisualizer.draw_face_input`).
        Annotated video (videos only): ``out_dir/<name>_annotated.mp4``,
        the sampled frames with boxes and probabilities
        (:meth:`DeepfakeVisualizer.draw_video_frame`), at the frame rate
        that gives the source's duration (each sampled frame stands for
        the frames between it and the next one).

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
        written = []
        if save_heatmaps:
            for fi, faces in enumerate(pred['faces']):
                for fk, face in enumerate(faces):
                    over = self.visualizer.draw_face_input(
                        face['input'], face['heatmap'], face['score'])
                    path = osp.join(
                        out_dir, name,
                        f'frame{media["indices"][fi]:05d}_face{fk}.jpg')
                    atomic_write_image(path, over)
                    written.append(path)
        if save_video and media['type'] == 'video':
            path = osp.join(out_dir, f'{name}_annotated.mp4')
            frames = [
                self.visualizer.draw_video_frame(frame, faces, fr['index'],
                                                 fr['score'])
                for frame, faces, fr in zip(media['frames'], pred['faces'],
                                            pred['result']['frames'])
            ]
            atomic_write_video(path, frames, sampled_fps(media))
            written.append(path)
        return written

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    def __call__(self,
                 inputs: Any,
                 out_dir: Optional[str] = None,
                 num_frames: Optional[int] = None,
                 save_heatmaps: bool = True,
                 save_video: bool = False,
                 summary_csv: Optional[bool] = None,
                 progress: Optional[Callable[[str, int, int], None]] = None
                 ) -> Dict[str, Any]:
        """Score inputs and write their results.

        With ``overlap`` (the default) decoding and face detection run in
        a background thread ahead of the model, through a folder's
        inputs one after another; the results are the sequential path's.

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
            progress (callable, optional): Called as ``progress(stage,
                done, total)`` as an input is scored, e.g. by the web app:
                with ``overlap``, after each frame (``'frames'``); without,
                after each frame's face detection (``'faces'``) and each
                forward batch (``'model'``). Defaults to None.

        Returns:
            dict: ``predictions`` (one result per input, in order),
            ``files`` (per input, the overlays and video written, in the
            order of its frames and faces), ``summary_csv`` (its path or
            None) and ``profile`` (seconds
            per stage, ``decode_s``, ``detect_s``, ``crop_s``,
            ``forward_s``, summed over inputs, and ``wall_s``; with
            ``overlap`` the stages overlap, so their sum may exceed the
            wall clock).
        """
        items = expand_inputs(inputs)
        if summary_csv is None:
            summary_csv = len(items) > 1 or (not isinstance(
                inputs, np.ndarray) and not isinstance(inputs, (list, tuple))
                                             and osp.isdir(os.fspath(inputs)))
        names = unique_names(items)
        times = StageTimes()
        start = time.perf_counter()
        run = self._run_overlapped if self.overlap else self._run_sequential
        write = dict(
            out_dir=out_dir,
            save_heatmaps=save_heatmaps,
            save_video=save_video,
            files={})
        self._progress_callback = progress
        try:
            results = run(items, names, times, num_frames, write)
        finally:
            self._progress_callback = None
        csv_path = None
        if out_dir is not None and summary_csv:
            csv_path = osp.join(out_dir, 'summary.csv')
            write_summary_csv(results, csv_path)
        profile = times.as_dict()
        profile['wall_s'] = round(time.perf_counter() - start, 3)
        self.last_profile = profile
        return dict(
            predictions=results,
            files=[write['files'].get(name, []) for name in names],
            summary_csv=csv_path,
            profile=profile)

    # ------------------------------------------------------------------
    # The two ways through the inputs
    # ------------------------------------------------------------------
    @staticmethod
    def _item_file(item: Any) -> str:
        """The file name a result reports for an input."""
        return item if isinstance(item, str) else '<array>'

    def _read_error(self, file: str, err: MediaReadError) -> dict:
        """The result of an unreadable input (and its log line)."""
        print_log(f'DeepfakeInferencer: {err}', logger='current', level=30)
        return self.error_result(file, str(err))

    def _failure(self, file: str, err: Exception, single: bool) -> dict:
        """The result of an input whose scoring failed: re-raise for a
        single input, record it and go on in folder mode."""
        if single:
            raise err
        print_log(
            f'DeepfakeInferencer: {file} failed: '
            f'{type(err).__name__}: {err}',
            logger='current',
            level=30)
        return self.error_result(file, f'{file}: {type(err).__name__}: {err}')

    def _finish(self, media: dict, pred: dict, name: str,
                write: dict) -> dict:
        """Write the overlays of a scored input (their paths go to
        ``write['files'][name]``); return its result."""
        if write['out_dir'] is not None:
            write['files'][name] = self.visualize(media, pred,
                                                  write['out_dir'], name,
                                                  write['save_heatmaps'],
                                                  write['save_video'])
        return pred['result']

    def _record(self, result: dict, name: str, write: dict) -> dict:
        """Write an input's JSON result; return the result."""
        if write['out_dir'] is not None:
            write_result_json(result,
                              osp.join(write['out_dir'], f'{name}.json'))
        return result

    def _run_sequential(self, items: list, names: List[str],
                        times: StageTimes, num_frames: Optional[int],
                        write: dict) -> List[dict]:
        """Each input decoded, detected, cropped and scored in turn."""
        results = []
        it = items
        if self.show_progress and len(items) > 1:
            it = track(items, description='Inputs')
        for item, name in zip(it, names):
            file = self._item_file(item)
            try:
                with times.time('decode'):
                    media = self.preprocess(item, num_frames=num_frames)
            except MediaReadError as err:
                result = self._read_error(file, err)
            else:
                try:
                    pred = self.predict_media(media, times)
                    result = self._finish(media, pred, name, write)
                except Exception as err:
                    result = self._failure(file, err, len(items) == 1)
            results.append(self._record(result, name, write))
        return results

    def _run_overlapped(self, items: list, names: List[str],
                        times: StageTimes, num_frames: Optional[int],
                        write: dict) -> List[dict]:
        """Decode and detect in a :class:`MediaPrefetcher` thread; score
        the faces here, ``batch_size`` at a time in each input's face
        order (the sequential path's batches, hence its outputs)."""
        results: List[Optional[dict]] = [None] * len(items)
        state: Dict[str, Any] = {}

        def flush(final: bool) -> None:
            pending = state['pending']
            while pending and (final or len(pending) >= self.batch_size):
                batch = pending[:self.batch_size]
                del pending[:self.batch_size]
                with times.time('forward'):
                    state['outputs'].extend(self.forward(batch))

        prefetcher = MediaPrefetcher(
            items,
            decode=lambda item: self.preprocess(item, num_frames=num_frames),
            detect=self.face_detector,
            crop=self.crop_faces,
            times=times,
            queue_size=self.queue_size)
        with prefetcher, self._progress(len(items)) as progress:
            for kind, index, payload in prefetcher:
                file, name = self._item_file(items[index]), names[index]
                if kind == READ_ERROR:
                    results[index] = self._record(
                        self._read_error(file, payload), name, write)
                    progress.input_done()
                    continue
                if kind == MEDIA:
                    state = dict(media=payload, boxes=[], pending=[],
                                 outputs=[], error=None)
                    progress.start_media(payload)
                    continue
                if state['error'] is None:
                    try:
                        if kind == FRAME:
                            fi, boxes, crops = payload
                            state['boxes'].append(boxes)
                            state['pending'].extend(
                                self.face_items(state['media'], fi, crops))
                            flush(final=False)
                            progress.frame_done()
                        elif kind == DONE:
                            flush(final=True)
                            pred = self.assemble(state['media'],
                                                 state['boxes'],
                                                 state['outputs'])
                            state['result'] = self._finish(
                                state['media'], pred, name, write)
                        elif kind == FAILED:
                            raise payload
                    except Exception as err:
                        state['error'] = err
                if kind in (DONE, FAILED):
                    result = state.get('result')
                    if state['error'] is not None:
                        result = self._failure(file, state['error'],
                                               len(items) == 1)
                    results[index] = self._record(result, name, write)
                    state = {}
                    progress.input_done()
        return results

    def _progress(self, num_inputs: int) -> InferenceProgress:
        """The progress display of the overlapped path."""
        return InferenceProgress(
            num_inputs,
            enabled=self.show_progress,
            callback=self._progress_callback)
