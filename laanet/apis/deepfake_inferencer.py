# Copyright (c) laanet contributors. All rights reserved.
"""Score images, videos and folders of them with a deepfake detector.

Owns the one inference loop: the events of a :class:`.FaceStream`
(decode → detect → crop, :func:`.prefetch`-ed in a thread or not) become
model samples (the sample builder), scored in batches; each input's result
is built from its data samples (:mod:`.results`) and written
(:class:`.ResultWriter`).
"""
import time
from contextlib import nullcontext
from functools import partial
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Optional,
                    Sequence, Tuple, Union)

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import init_default_scope

from laanet.engine import default_amp_dtype
from laanet.evaluation.calibration import (Calibration,
                                           calibration_for_model)
from laanet.evaluation.functional import sigmoid
from laanet.preprocessing.face_detectors import crop_face
from laanet.registry import INFERENCERS
from laanet.structures import model_layout
from laanet.visualization import DeepfakeVisualizer
from .cam_explainer import build_cam_explainer, explanation_entry
from .clip_faces import (ClipFaces, build_clip_result, clip_length,
                         clip_predict_settings)
from .face_stream import (DONE, FAILED, FRAME, MEDIA, READ_ERROR, FaceStream,
                          FrameFaces, prefetch)
from .inference import (build_face_detector, build_test_pipeline,
                        face_crop_settings, init_backend, load_config,
                        predict_samples, predict_settings)
from .media_io import (DEFAULT_MAX_PIXELS, MediaReadError, decode_media,
                       expand_inputs, is_folder)
from .monitors import InferenceProgress, ProgressCallback, StageTimes
from .results import build_result, error_result, metric_settings
from .writers import ResultWriter, unique_names


@INFERENCERS.register_module()
class DeepfakeInferencer:
    """Find the faces of images and videos and score them: P(fake).

    Faces are found and cropped as the data preparation does, then go
    through the config's test pipeline without its loading steps; flip
    TTA follows the model's ``test_cfg``. Every face is scored
    (:attr:`sample_builder`). A frame scores the highest P(fake) among its
    faces not smaller than ``min_face_area_ratio`` of the largest, a video
    by the rule of the config's ``DeepfakeMetric`` (whose ``threshold``
    and ``min_face_area_ratio`` are used too; :mod:`.results`). An input
    that cannot be scored gets a result with a ``reason`` (no face) or an
    ``error`` (unreadable), not an exception. A clip model (data
    preprocessor ``layout='clip'``, e.g. FakeSTormer) reads windows of
    consecutive frames, tracks each face over them and scores clips
    (:class:`~laanet.apis.clip_faces.ClipFaces`; the result adds
    ``clips``, :func:`~laanet.apis.clip_faces.build_clip_result`). Not an
    mmengine
    ``BaseInferencer``: its inputs are media files and its outputs files.

    Args:
        model (str | Config): Config file or object.
        weights (str, optional): Checkpoint (laanet or official).
        device (str, optional): ``'cpu'``, ``'cuda'``... Defaults to the
            available device.
        face_detector (dict | callable, optional): See
            :func:`.inference.build_face_detector`.
        face_crop_cfg (dict, optional): See
            :func:`.inference.face_crop_settings`.
        num_frames (int): Frames sampled per video (clip models: in
            windows of the clip length). Defaults to 32.
        min_face_area_ratio (float, optional): See above; overrides the
            config's metric. Defaults to the metric's (0.5 without one).
        batch_size (int): Samples per forward pass. Defaults to 8.
        max_pixels (int): Larger images are refused. Defaults to 2**28.
        show_progress (bool): Progress bars. Defaults to True.
        overlap (bool): Decode and detect in a background thread
            (:func:`.face_stream.prefetch`); the same events, batches and
            results as without. Defaults to True.
        queue_size (int): Events waiting for the model at most, with
            ``overlap``. Defaults to 8.
        compile (bool | dict): See :func:`.inference.init_backend`.
            Defaults to False.
        backend (str): ``'pytorch'`` or ``'onnxruntime'`` (``weights`` is
            then the ``.onnx`` file of ``tools/deployment/pytorch2onnx.py``;
            see :func:`.inference.init_backend`). Defaults to
            ``'pytorch'``.
        cam (bool | dict, optional): Class-activation maps of P(fake) per
            face (:class:`~.cam_explainer.CAMExplainer`): True uses the
            config's ``cam_cfg``, a dict updates it (``method``,
            ``target_layer``). Each face then gets a CAM overlay and each
            result an ``explanation``. PyTorch backend, no ``compile``.
            Defaults to None (no CAM).
        calibration (str | Calibration, optional): A calibration file of
            ``tools/analysis_tools/calibrate.py`` (or object): results give
            the calibrated P(fake), the label at its operating point and
            the set it came from (``calibration``). None uses the one in
            the checkpoint's ``meta['calibration']`` if any; without one,
            results say the threshold is uncalibrated. A calibration of
            another model (config or weights hash) is refused. The ONNX
            graph stays raw: the calibration is applied here, alike for
            both backends.
        operating_point (str, optional): The calibration's operating point
            (``'eer'``, ``'fpr@0.05'``...). Defaults to its default.
        amp (bool): Run the network under autocast (bfloat16 on a CPU,
            :func:`~laanet.engine.amp_autocast`); the heads and results
            stay float32. FakeSTormer's ViT ran 2-3x faster on a CPU with
            AMX, at clip logits a few thousandths from float32
            (``docs/en/advanced_guides/fakestormer.md``, Speed). PyTorch
            backend. Defaults to False (float32, the official numbers).
    """

    #: Turns the faces of a decoded input into model samples and back
    #: (:class:`~laanet.apis.face_stream.FrameFaces`: one per face).
    sample_builder = FrameFaces

    def __init__(self,
                 model: Union[str, Config],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 face_detector: Optional[Union[dict, Callable]] = None,
                 face_crop_cfg: Optional[dict] = None,
                 num_frames: int = 32,
                 min_face_area_ratio: Optional[float] = None,
                 batch_size: int = 8,
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 show_progress: bool = True,
                 overlap: bool = True,
                 queue_size: int = 8,
                 compile: Union[bool, dict] = False,
                 backend: str = 'pytorch',
                 cam: Optional[Union[bool, dict]] = None,
                 calibration: Optional[Union[str, Calibration]] = None,
                 operating_point: Optional[str] = None,
                 amp: bool = False) -> None:
        if amp and backend != 'pytorch':
            raise ValueError('amp is for the pytorch backend (the ONNX graph '
                             f'runs in float32), got backend {backend!r}')
        if num_frames < 1:
            raise ValueError(f'num_frames must be >= 1, got {num_frames}')
        cfg = load_config(model)
        settings = metric_settings(cfg, min_face_area_ratio)
        if queue_size < 1:
            raise ValueError(f'queue_size must be >= 1, got {queue_size}')
        device = device or ('cuda' if torch.cuda.is_available() else 'cpu')
        init_default_scope(cfg.get('default_scope', 'laanet'))
        self.model = init_backend(cfg, weights, device, backend, compile)
        self.cfg, self.device, self.backend = cfg, device, backend
        self.amp = amp
        #: ``'float32'``, or with ``amp`` e.g. ``'bfloat16 autocast'``.
        self.precision = 'float32' if not amp else str(default_amp_dtype(
            torch.device(device).type)).split('.')[-1] + ' autocast'
        self.show_progress, self.overlap = show_progress, overlap
        self.queue_size, self.batch_size = queue_size, batch_size
        self.num_frames, self.max_pixels = num_frames, max_pixels
        self.threshold = settings['threshold']
        self.video_score = settings['video_score']
        self.min_face_area_ratio = settings['min_face_area_ratio']
        self.calibration = calibration_for_model(calibration, cfg, weights)
        self.operating_point = operating_point
        face_threshold = self.threshold
        if self.calibration is not None:
            point = self.calibration.operating_point('frame', operating_point)
            self.threshold = float(point['probability'])
            # the overlays show raw face scores: the point in raw P(fake)
            face_threshold = float(sigmoid(point['logit']))
        self.pipeline = build_test_pipeline(cfg)
        self.face_crop_cfg = face_crop_settings(cfg, face_crop_cfg)
        self.face_detector = build_face_detector(face_detector)
        self.visualizer = DeepfakeVisualizer(
            name=f'deepfake_inferencer_{id(self)}', threshold=face_threshold)
        self.predict_cfg = predict_settings(self.model)
        self.explainer = build_cam_explainer(self.model, cfg, cam, compile)
        #: Frames per clip of a clip model; None for image models.
        self.clip_len = clip_length(cfg) if model_layout(
            self.model) == 'clip' else None
        if self.clip_len is not None:
            self.sample_builder = partial(ClipFaces, clip_len=self.clip_len)
            self.predict_cfg = clip_predict_settings(self.predict_cfg)

    def preprocess(self,
                   inputs: Union[str, np.ndarray],
                   num_frames: Optional[int] = None) -> dict:
        """Decode one input into frames (:func:`.media_io.decode_media`;
        ``num_frames`` defaults to ``self.num_frames``); raises
        :class:`MediaReadError` for an unreadable input."""
        clips = {} if self.clip_len is None else dict(
            sampling='clips', clip_len=self.clip_len)
        return decode_media(inputs, num_frames or self.num_frames,
                            self.max_pixels, **clips)

    def detect(self, frames: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Detect the faces of every frame: (K, 5) boxes per frame."""
        return [np.asarray(self.face_detector(f)).reshape(-1, 5)
                for f in frames]

    def crop_faces(self, frame: np.ndarray, boxes: np.ndarray) -> list:
        """Crop every face of a frame like the data preparation."""
        margin, size = self.face_crop_cfg['margin'], self.face_crop_cfg['size']
        return [
            crop_face(frame, box, margin=float(margin), size=int(size))['img']
            for box in boxes
        ]

    def sample_items(self, media: dict) -> List[dict]:
        """The inputs of :meth:`forward` for decoded media (``frames``,
        ``file``, ``indices``) in one go, without the face stream: every
        frame's faces detected, cropped and given to a new builder."""
        builder = self.sample_builder(media)
        items = []
        for fi, (frame, boxes) in enumerate(
                zip(media['frames'], self.detect(media['frames']))):
            items += builder.add_frame(fi, boxes,
                                       self.crop_faces(frame, boxes))
        return items + builder.finish()

    def forward(self, items: Sequence[dict]) -> list:
        """Score model samples (:func:`.inference.predict_samples`),
        and explain them with ``cam``."""
        samples = predict_samples(self.model, self.pipeline, items,
                                  self.predict_cfg, self.batch_size, self.amp)
        if self.explainer is not None:
            for start in range(0, len(samples), self.batch_size):
                self.explainer.explain_samples(
                    samples[start:start + self.batch_size],
                    bool(self.predict_cfg.get('flip_test', False)))
        return samples

    def predict_media(self,
                      media: dict,
                      times: Optional[StageTimes] = None) -> dict:
        """Detect, crop and score the faces of decoded media (the output
        of :meth:`preprocess`), the stage times added to ``times``: its
        ``result`` and ``faces`` (per frame, per face: ``box``, ``score``,
        ``ignored`` and the predicted data ``sample``)."""
        times = times or StageTimes()
        stream = FaceStream([media], lambda m: m, self.face_detector,
                            self.crop_faces, times)
        ((_, _, faces, error), ) = self._score(
            stream, times, InferenceProgress(1, enabled=False))
        if error is not None:
            raise error
        return dict(result=self._build_result(media, faces), faces=faces)

    def _build_result(self, media: dict, faces: List[List[dict]]) -> dict:
        """The result of a scored input (:func:`.results.build_result`;
        :func:`.clip_faces.build_clip_result` for clip models), with the
        ``precision`` the network ran in."""
        if self.clip_len is not None:
            result = build_clip_result(media, faces, self.threshold,
                                       self.video_score,
                                       self.min_face_area_ratio,
                                       self.clip_len, self.calibration,
                                       self.operating_point)
        else:
            result = build_result(media, faces, self.threshold,
                                  self.video_score, self.min_face_area_ratio,
                                  self.calibration, self.operating_point)
        result['precision'] = self.precision
        return result

    def __call__(self,
                 inputs: Any,
                 out_dir: Optional[str] = None,
                 num_frames: Optional[int] = None,
                 save_heatmaps: bool = True,
                 save_video: bool = False,
                 summary_csv: Optional[bool] = None,
                 progress: Optional[ProgressCallback] = None
                 ) -> Dict[str, Any]:
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
            progress (callable, optional): Called as ``progress('frames',
                done, total)`` after each frame of an input, e.g. by the
                web app. Defaults to None.

        Returns:
            dict: ``predictions`` (one result per input, in order),
            ``files`` (per input, the overlays and video written),
            ``summary_csv`` (its path or None) and ``profile`` (seconds
            per stage, ``<stage>_s`` of :class:`~.monitors.StageTimes`,
            and ``wall_s``).
        """
        start = time.perf_counter()
        items = expand_inputs(inputs)
        if summary_csv is None:
            summary_csv = len(items) > 1 or is_folder(inputs)
        writer = ResultWriter(out_dir, unique_names(items), self.visualizer,
                              save_heatmaps, save_video)
        times = StageTimes()
        stream = FaceStream(
            items, lambda item: self.preprocess(item, num_frames),
            self.face_detector, self.crop_faces, times)
        events = prefetch(stream, self.queue_size) if self.overlap else \
            nullcontext(stream)
        results: List[dict] = []
        with events as it, InferenceProgress(len(items), self.show_progress,
                                             progress) as bar:
            for index, media, faces, error in self._score(it, times, bar):
                results.append(
                    self._finish(index, items[index], media, faces, error,
                                 writer, len(items) == 1))
                bar.input_done()
        csv_path = writer.write_summary(results) if summary_csv else None
        profile = dict(times.as_dict(),
                       wall_s=round(time.perf_counter() - start, 3))
        return dict(predictions=results, files=writer.files,
                    summary_csv=csv_path, profile=profile)

    def _score(self, events: Iterable, times: StageTimes,
               bar: InferenceProgress
               ) -> Iterator[Tuple[int, Optional[dict], Optional[list],
                                   Optional[Exception]]]:
        """The one loop: per input, in order, ``(index, media, faces,
        error)`` (``media`` None for a read error). Samples wait until
        ``batch_size`` of them (over several frames) are ready, so batches
        do not depend on the thread; a failure skips the input's other
        events and is handed on as its ``error``."""
        for kind, index, payload in events:
            if kind == READ_ERROR:
                yield index, None, None, payload
                continue
            if kind == MEDIA:
                media, faces, error = payload, None, None
                builder, pending, samples = self.sample_builder(media), [], []
                bar.start_media(media)
                continue
            if error is None:
                try:
                    if kind == FRAME:
                        pending += builder.add_frame(*payload)
                        samples += self._forward_ready(pending, times, False)
                        bar.frame_done()
                    elif kind == DONE:
                        pending += builder.finish()
                        samples += self._forward_ready(pending, times, True)
                        faces = builder.faces_per_frame(samples)
                    elif kind == FAILED:
                        raise payload
                except Exception as err:
                    error = err
            if kind in (DONE, FAILED):
                yield index, media, faces, error

    def _forward_ready(self, pending: list, times: StageTimes,
                       final: bool) -> list:
        """Score and remove full batches of ``pending`` (all at the end
        of an input)."""
        ready = len(pending) if final else (len(pending) // self.batch_size *
                                            self.batch_size)
        batch, pending[:ready] = pending[:ready], []
        if not batch:
            return []
        with times.time('forward'):
            return self.forward(batch)

    def _finish(self, index: int, item: Any, media: Optional[dict],
                faces: Optional[list], error: Optional[Exception],
                writer: ResultWriter, single: bool) -> dict:
        """Build, draw and write an input's result; a read error, or a
        failure in folder mode, becomes an ``error`` (and a log line)."""
        file = item if isinstance(item, str) else '<array>'
        if isinstance(error, MediaReadError) and media is None:
            result = error_result(file, str(error), self.threshold)
        else:
            try:
                if error is not None:
                    raise error
                result = self._build_result(media, faces)
                writer.write_drawings(index, media, faces, result)
                if self.explainer is not None:
                    result['explanation'] = explanation_entry(
                        self.explainer, writer.files[index], writer.out_dir)
            except Exception as err:
                if single:
                    raise
                result = error_result(
                    file, f'{file}: {type(err).__name__}: {err}',
                    self.threshold)
        if result['error']:
            print_log(f'DeepfakeInferencer: {result["error"]}',
                      logger='current', level=30)
        writer.write_result(index, result)
        return result
