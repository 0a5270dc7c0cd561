# Copyright (c) laanet contributors. All rights reserved.
"""Frame- and video-level deepfake detection metrics."""
import warnings
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from laanet.registry import METRICS
from ..functional import (DEFAULT_FPR_TARGETS, aggregate_videos,
                          check_fpr_targets, dfb_protocol_metrics,
                          dfb_video_key, group_frame_faces, logit,
                          official_protocol_metrics, resolve_protocol,
                          sigmoid)
from .scores_file import dfb_video_records, write_scores_file

REAL_MANIPULATIONS = ('original', 'real', 'Original', 'Real')


def _to_float(value) -> Optional[float]:
    """A 1-element tensor / array / number as a float (None stays)."""
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        return float(value.detach().float().cpu().reshape(-1)[0])
    return float(np.asarray(value, dtype=np.float64).reshape(-1)[0])


@METRICS.register_module()
class DeepfakeMetric(BaseMetric):
    """Frame-level and video-level metrics of a real/fake classifier.

    Reported (in percent, prefix ``deepfake``), for frames and, with a
    ``video_`` prefix, for videos:

    - ``auc``: ROC AUC; ``ap``: average precision; ``eer``: equal error
      rate; ``acc``: accuracy at ``threshold``; ``recall``: macro-averaged
      recall at ``threshold`` (the official "AR");
    - ``ap_ar_hmean``: ``2·AP·AR / (AP + AR)``, which the official LAA-Net
      code calls "mF1" (it is not an F1 score);
    - ``tpr_at_fpr1`` and ``tpr_at_fpr5`` (one per ``fpr_targets``): the
      largest TPR at an FPR within the target
      (:func:`~laanet.evaluation.functional.tpr_at_fpr`); ``ece``:
      expected calibration error of P(fake), 10 bins; ``brier``: Brier
      score of P(fake) (both in percent too, lower is better);
    - ``auc_<manipulation>`` and ``video_auc_<manipulation>``: for each
      fake manipulation present, its samples against all real samples
      (when the samples carry ``manipulation``; ``method`` instead where
      they carry one, as DeepfakeBench-format sets do).

    So the logs read ``deepfake/auc``, ``deepfake/video_auc``,
    ``deepfake/video_auc_Deepfakes``, ... Checkpoints keep the best
    ``deepfake/video_auc``. A metric undefined on the data (e.g. AUC with
    only fake samples) is NaN, with a warning.

    Protocols. ``'official'`` (default), LAA-Net's: a video is the set of
    frames with the same ``video_id``; frames without one are one-frame
    videos. The video score is ``sigmoid(mean frame logit)``
    (``video_score='logit_mean'``, the official choice) or the mean frame
    probability (``'prob_mean'``); ``acc`` is ``p >= threshold``; ``eer``
    is interpolated on the ROC curve; frames are ranked by their logits.
    ``'deepfakebench'``: DeepfakeBench's ``get_test_metrics``
    (:mod:`~laanet.evaluation.functional.deepfakebench_protocol`): ``eer``
    at the ROC point nearest the crossing, ``acc`` as ``p > threshold``,
    frames ranked by their probabilities, the video score the mean frame
    probability of the frames in one folder (``video_grouping=
    'dfb_basename'``: the folder name of ``dfb_frame_path``, else of
    ``img_path``; merges ``Deepfakes/000_003`` with
    ``Face2Face/000_003`` as DeepfakeBench does) or of one ``video_id``
    (``'full_id'``, the corrected grouping), the video label the floor of
    the mean frame label. Videos are formed after the results of all
    ranks are gathered.

    Several faces of one frame (samples with the same ``video_id`` and
    ``frame_idx``) make one frame, scored by its face with the highest
    P(fake) among those at least ``min_face_area_ratio`` as large as the
    largest (``face_area``; all faces count without it): the rule of
    :class:`~laanet.apis.DeepfakeInferencer` and of SBI's test
    (:func:`~laanet.evaluation.functional.group_frame_faces`). laanet's
    extraction keeps one face per frame, where this changes nothing.

    Args:
        threshold (float): Decision threshold on the probability for
            ``acc`` and ``recall``. Defaults to 0.5.
        video_score (str, optional): ``'logit_mean'`` or ``'prob_mean'``;
            None for the protocol's (``'logit_mean'`` under the official
            protocol; DeepfakeBench's is ``'prob_mean'``). Defaults to
            None.
        per_manipulation (bool): Report per-manipulation AUCs. Defaults to
            True.
        scores_file (str, optional): Write the per-frame and per-video
            scores here, as JSON (``.json``: ``metrics``, ``protocol``,
            ``frames`` and ``videos``) or CSV (``.csv``: one row per frame
            and per video, told apart by the ``level`` column); frames keep
            ``method`` and ``dfb_frame_path`` where the samples carry them.
            Defaults to None.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to
            ``'cpu'``.
        prefix (str, optional): Defaults to ``'deepfake'``.
        min_face_area_ratio (float): See above. Defaults to 0.5.
        protocol (str): ``'official'`` or ``'deepfakebench'``, see above.
            Defaults to ``'official'``.
        video_grouping (str, optional): ``'deepfakebench'`` protocol:
            ``'dfb_basename'`` (default) or ``'full_id'``. The official
            protocol groups by ``video_id``.
        breakdown_key (str, optional): ``'manipulation'`` or ``'method'``:
            the sample key of the per-manipulation AUCs; None for
            ``method`` where any sample carries one, else
            ``manipulation``. Defaults to None.
        fpr_targets (Sequence[float]): The false-positive rates of the
            ``tpr_at_fpr<X>`` metrics. Defaults to ``(0.01, 0.05)``.
        ece_bins (int): Equal-width bins of the ECE. Defaults to 10.

    Examples:
        >>> from laanet.evaluation import DeepfakeMetric
        >>> out = DeepfakeMetric.calculate(
        ...     scores=[0.1, 0.4, 0.35, 0.8], labels=[0, 0, 1, 1])
        >>> round(out['auc'], 2), round(out['acc'], 2)
        (75.0, 75.0)
        >>> out = DeepfakeMetric.calculate(
        ...     scores=[0.1, 0.3, 0.8, 0.6], labels=[0, 0, 1, 1],
        ...     video_ids=['a', 'a', 'b', 'b'])
        >>> out['video_auc'], out['auc']
        (100.0, 100.0)
    """

    default_prefix = 'deepfake'

    def __init__(self,
                 threshold: float = 0.5,
                 video_score: Optional[str] = None,
                 per_manipulation: bool = True,
                 scores_file: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 min_face_area_ratio: float = 0.5,
                 protocol: str = 'official',
                 video_grouping: Optional[str] = None,
                 breakdown_key: Optional[str] = None,
                 fpr_targets: Sequence[float] = DEFAULT_FPR_TARGETS,
                 ece_bins: int = 10) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 <= min_face_area_ratio <= 1:
            raise ValueError('`min_face_area_ratio` must lie in [0, 1], but '
                             f'got {min_face_area_ratio}.')
        self.min_face_area_ratio = min_face_area_ratio
        self.protocol, video_score, self.video_grouping = resolve_protocol(
            protocol, video_score, video_grouping)
        self.fpr_targets = check_fpr_targets(fpr_targets)
        self.ece_bins = int(ece_bins)
        if breakdown_key not in (None, 'manipulation', 'method'):
            raise ValueError("`breakdown_key` must be None, 'manipulation' "
                             f"or 'method', but got {breakdown_key!r}.")
        self.breakdown_key = breakdown_key
        if (scores_file is not None
                and not scores_file.endswith(('.json', '.csv'))):
            raise ValueError('`scores_file` must end with .json or .csv, '
                             f'but got {scores_file!r}.')
        self.threshold = threshold
        self.video_score = video_score
        self.per_manipulation = per_manipulation
        self.scores_file = scores_file

    def process(self, data_batch, data_samples: Sequence) -> None:
        """Store the score, logit, label and video of each sample.

        Args:
            data_batch: Unused.
            data_samples (Sequence[dict]): Predicted samples (as dicts, or
                ``DeepfakeDataSample``) with ``pred_score`` (or
                ``pred_logit``), ``gt_label`` and optionally ``video_id``,
                ``frame_idx``, ``manipulation``, ``img_path``,
                ``face_area``, ``method`` and ``dfb_frame_path``.
        """
        for sample in data_samples:
            if not isinstance(sample, dict):
                sample = sample.to_dict()
            if 'gt_label' not in sample:
                raise KeyError('DeepfakeMetric needs `gt_label` in the data '
                               f'samples (got keys {sorted(sample)}).')
            logit_value = _to_float(sample.get('pred_logit'))
            score = _to_float(sample.get('pred_score'))
            if score is None:
                if logit_value is None:
                    raise KeyError('DeepfakeMetric needs `pred_score` or '
                                   '`pred_logit` in the data samples.')
                score = float(sigmoid(logit_value))
            frame_idx = sample.get('frame_idx')
            self.results.append(
                dict(
                    score=score,
                    logit=logit_value,
                    label=int(_to_float(sample['gt_label'])),
                    video_id=sample.get('video_id'),
                    frame_idx=None if frame_idx is None else int(frame_idx),
                    manipulation=sample.get('manipulation'),
                    img_path=sample.get('img_path'),
                    face_area=_to_float(sample.get('face_area')),
                    method=sample.get('method'),
                    dfb_frame_path=sample.get('dfb_frame_path')))

    @staticmethod
    def calculate(scores: Sequence[float],
                  labels: Sequence[int],
                  video_ids: Optional[Sequence] = None,
                  logits: Optional[Sequence[float]] = None,
                  manipulations: Optional[Sequence] = None,
                  threshold: float = 0.5,
                  video_score: Optional[str] = None,
                  protocol: str = 'official',
                  fpr_targets: Sequence[float] = DEFAULT_FPR_TARGETS,
                  ece_bins: int = 10) -> Dict[str, float]:
        """Compute all metrics from arrays (no prefix, in percent).

        Args:
            scores (Sequence[float]): Probability of fake per frame.
            labels (Sequence[int]): 0 = real, 1 = fake.
            video_ids (Sequence, optional): Video of each frame; None (or
                a None entry) makes one-frame videos. Under the
                ``'deepfakebench'`` protocol, the grouping key (e.g. the
                :func:`dfb_video_key` of the frame paths).
            logits (Sequence[float], optional): Official protocol: logit
                per frame: frames are ranked by it (no float32
                saturation), and it makes the ``'logit_mean'`` video score
                (recovered from ``scores`` if None). Unused by the
                ``'deepfakebench'`` protocol, which ranks probabilities.
            manipulations (Sequence, optional): Manipulation (or method)
                per frame, for the per-manipulation AUCs.
            threshold (float): Decision threshold. Defaults to 0.5.
            video_score (str, optional): ``'logit_mean'`` or
                ``'prob_mean'``; None for the protocol's.
            protocol (str): ``'official'`` or ``'deepfakebench'``.
            fpr_targets (Sequence[float]): Targets of ``tpr_at_fpr<X>``.
            ece_bins (int): Bins of the ECE. Defaults to 10.

        Returns:
            dict: The metrics, see the class docstring.
        """
        scores = np.asarray(scores, dtype=np.float64)
        labels = np.asarray(labels, dtype=np.int64)
        n = scores.size
        if video_ids is None:
            video_ids = [None] * n
        video_ids = [('__frame__', i) if v is None else v
                     for i, v in enumerate(video_ids)]
        protocol, video_score, _ = resolve_protocol(protocol, video_score,
                                                    None)
        if protocol == 'deepfakebench':
            return dfb_protocol_metrics(scores, labels, video_ids,
                                        manipulations, threshold,
                                        fpr_targets, ece_bins)
        return official_protocol_metrics(scores, labels, video_ids, logits,
                                         manipulations, threshold,
                                         video_score, fpr_targets, ece_bins)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Compute the metrics from the gathered results of all ranks.

        Args:
            results (list[dict]): What :meth:`process` stored, from every
                rank.

        Returns:
            dict: The metrics (the evaluator adds the prefix).
        """
        if not results:
            raise ValueError('DeepfakeMetric got no samples.')
        faces = results
        results = group_frame_faces(faces, self.min_face_area_ratio)
        scores = [r['score'] for r in results]
        logits = [
            r['logit'] if r['logit'] is not None else float(logit(r['score']))
            for r in results
        ]
        labels = [r['label'] for r in results]
        video_ids = self._video_keys(results)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            metrics = self.calculate(
                scores,
                labels,
                video_ids=video_ids,
                logits=logits,
                manipulations=self.breakdown_values(results),
                threshold=self.threshold,
                video_score=self.video_score,
                protocol=self.protocol,
                fpr_targets=self.fpr_targets,
                ece_bins=self.ece_bins)
        logger = MMLogger.get_current_instance()
        for message in sorted({str(w.message) for w in caught}):
            warnings.warn(message)
            logger.warning(message)
        num_videos = len({v for v in video_ids if v is not None}) + sum(
            v is None for v in video_ids)
        logger.info(f'DeepfakeMetric ({self.protocol} protocol): '
                    f'{len(results)} frames, {num_videos} videos.')
        if self.scores_file is not None:
            self.dump_scores(
                results, metrics,
                faces if len(faces) > len(results) else None)
        return metrics

    def _video_keys(self, results: List[dict]) -> list:
        """The video of each frame under ``video_grouping``: its
        ``video_id`` (``'full_id'``), or the folder name of its
        ``dfb_frame_path`` (else of its ``img_path``) for
        ``'dfb_basename'``."""
        if self.video_grouping == 'full_id':
            return [r['video_id'] for r in results]
        keys = []
        for r in results:
            path = r.get('dfb_frame_path') or r.get('img_path')
            if path is None:
                raise ValueError(
                    "video_grouping='dfb_basename' needs `dfb_frame_path` "
                    'or `img_path` in the data samples (their folder name '
                    "is the video); use video_grouping='full_id' to group "
                    'by `video_id`.')
            keys.append(dfb_video_key(path))
        return keys

    def breakdown_values(self, results: List[dict]) -> Optional[list]:
        """The per-frame values of the per-manipulation breakdown: of
        ``breakdown_key``, by default ``method`` where the samples carry
        one (DeepfakeBench-format sets), else ``manipulation``."""
        if not self.per_manipulation:
            return None
        key = self.breakdown_key or ('method' if any(
            r.get('method') is not None for r in results) else 'manipulation')
        values = [r.get(key) for r in results]
        return None if all(v is None for v in values) else values

    def _videos(self, results: List[dict]) -> List[dict]:
        """One record per video, as the protocol scores it."""
        keys = [('__frame__', i) if k is None else k
                for i, k in enumerate(self._video_keys(results))]
        if self.protocol == 'official':
            videos = aggregate_videos(
                keys, [r['label'] for r in results],
                [r['score'] for r in results],
                logits=[
                    r['logit'] if r['logit'] is not None else float(
                        logit(r['score'])) for r in results
                ],
                mode=self.video_score,
                manipulations=[r['manipulation'] for r in results])
        else:
            videos = dfb_video_records(keys, results)
        for v in videos:
            if isinstance(v['video_id'], tuple):
                v['video_id'] = None
        return videos

    def dump_scores(self,
                    results: List[dict],
                    metrics: Dict,
                    faces: Optional[List[dict]] = None) -> None:
        """Write the per-frame and per-video scores to ``scores_file``
        (:func:`~laanet.evaluation.metrics.scores_file.write_scores_file`).

        Frames keep their ``dfb_frame_path`` (the DeepfakeBench JSON's
        frame path, where the samples carry one), so DeepfakeBench's own
        metric code can re-score them (see
        docs/en/user_guides/train_test.md).

        Args:
            results (list[dict]): The gathered per-frame results.
            metrics (dict): The computed metrics (JSON only).
            faces (list[dict], optional): The per-face results, written too
                (JSON ``faces``, CSV rows of level ``face``) when frames
                have several faces.
        """
        videos = self._videos(results)
        header = dict(metrics=metrics, protocol=self.protocol,
                      video_score=self.video_score,
                      video_grouping=self.video_grouping)
        write_scores_file(self.scores_file, header,
                          [dict(r) for r in results], videos,
                          None if faces is None else [dict(r)
                                                      for r in faces])
        MMLogger.get_current_instance().info(
            f'Wrote {len(results)} frame and {len(videos)} video scores to '
            f'{self.scores_file}.')
