# Copyright (c) laanet contributors. All rights reserved.
"""Clip inference: face tracks over consecutive frames, scored as clips.

The sample builder of clip models (a data preprocessor with
``layout='clip'``, e.g. FakeSTormer), in the seam of
:mod:`laanet.apis.face_stream`: :class:`ClipFaces` links each frame's
faces to the previous frame's by box overlap (:func:`box_iou`), and once a
track has ``clip_len`` consecutive frames it returns one clip sample
(``img`` = the T face crops, the key layout of the clip pipelines), then
starts the track's next, non-overlapping clip, as the official test cuts a
video into 4-frame chunks. A gap in the frame indices (the next sampled
window of :func:`~laanet.utils.media.sample_frame_indices`'s ``'clips'``
rule) or a frame where the track's face is lost drops the unfinished clip.
After scoring, each clip's prediction is spread over its frames
(:func:`frame_view`: the clip's score, the frame's network input and
heatmap slice), so the per-frame result format, the overlays and the
annotated video are the image methods'; :func:`build_clip_result` adds the
clips and scores the video by the official rule.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config

from laanet.evaluation.calibration import Calibration, input_verdict
from laanet.evaluation.functional import score_video, select_frame_face
from laanet.structures import DeepfakeDataSample
from .face_stream import FrameFaces, box_entry, sample_input
from .results import face_entry, frames_result, sample_score

#: FakeSTormer's clip length, for a config that does not say.
DEFAULT_CLIP_LEN = 4


def clip_length(cfg: Config) -> int:
    """Frames per clip of a clip model's config: its top-level
    ``clip_len``, else its test dataset's, else
    :data:`DEFAULT_CLIP_LEN`."""
    clip_len = cfg.get('clip_len')
    if clip_len is None:
        dataset = (cfg.get('test_dataloader') or {}).get('dataset') or {}
        clip_len = dataset.get('clip_len', DEFAULT_CLIP_LEN)
    if int(clip_len) < 1:
        raise ValueError(f'clip_len must be >= 1, got {clip_len}')
    return int(clip_len)


def clip_predict_settings(predict_cfg: dict) -> dict:
    """The predict settings of clip inference: every clip scored on its
    own.

    FakeSTormer's official network takes every clip's temporal token from
    clip 0 of the batch, so a clip's score depends on the clips batched
    with it. A model whose ``test_cfg`` has the ``temporal_token`` switch
    left at None gets ``'own'``: each clip as the official code scores it
    in a batch of one, whatever ``batch_size`` is. A config that sets the
    switch keeps its choice.

    Args:
        predict_cfg (dict): The model's predict settings
            (:func:`~laanet.apis.inference.predict_settings`).

    Returns:
        dict: A copy, changed as above.
    """
    cfg = dict(predict_cfg)
    if 'temporal_token' in cfg and cfg['temporal_token'] is None:
        cfg['temporal_token'] = 'own'
    return cfg


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of two sets of (x0, y0, x1, y1, ...) boxes.

    Args:
        a (np.ndarray): (K, >=4) boxes.
        b (np.ndarray): (M, >=4) boxes.

    Returns:
        np.ndarray: (K, M) IoU.
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    x0 = np.maximum(a[:, None, 0], b[None, :, 0])
    y0 = np.maximum(a[:, None, 1], b[None, :, 1])
    x1 = np.minimum(a[:, None, 2], b[None, :, 2])
    y1 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.)


def frame_view(clip: DeepfakeDataSample, t: int) -> DeepfakeDataSample:
    """Frame ``t`` of a predicted clip, as a predicted face of that frame.

    Args:
        clip (DeepfakeDataSample): The clip's prediction (``pred_score``,
            ``pred_logit``, ``net_input`` (3, T, H, W) and, for heatmap
            models, ``pred_fields.heatmap`` (T, h, w)).
        t (int): The frame's position in the clip.

    Returns:
        DeepfakeDataSample: The clip's score and logit, ``net_input``
        (3, H, W) of the frame and its heatmap slice, scaled to [0, 1] over
        the whole clip (the raw values are a regression target, not
        probabilities: one scale per clip keeps the frames comparable).
    """
    view = DeepfakeDataSample()
    view.set_pred_score(clip.pred_score)
    view.set_pred_logit(clip.pred_logit)
    view.set_data(dict(net_input=clip.net_input[:, t]))
    if 'pred_fields' in clip and 'heatmap' in clip.pred_fields:
        maps = clip.pred_fields.heatmap.float()
        low, high = maps.min(), maps.max()
        scaled = (maps[t] - low) / (high - low) if high > low else \
            torch.zeros_like(maps[t])
        view.set_pred_heatmap(scaled)
    return view


class ClipFaces(FrameFaces):
    """Sample builder of clip models: face tracks over consecutive frames,
    one model sample per ``clip_len`` frames of a track.

    One builder serves one decoded input; its frames are added in order.
    The number of faces found in each frame goes to the input's
    ``media['face_counts']`` (the result tells frames without a face from
    faces that are in no complete clip). A face joins the track of the
    previous frame whose box overlaps it most (IoU at least ``min_iou``,
    each track taking one face); the other faces start new tracks. The
    inherited :meth:`finish` gives nothing: unfinished clips are dropped,
    as the official test drops a video's last incomplete chunk.

    Args:
        media (dict): The decoded input (``file``, ``indices``).
        clip_len (int): Frames per clip. Defaults to 4.
        min_iou (float): Least box IoU between consecutive frames of a
            track. Defaults to 0.3.
    """

    def __init__(self,
                 media: dict,
                 clip_len: int = DEFAULT_CLIP_LEN,
                 min_iou: float = 0.3) -> None:
        super().__init__(media)
        self.clip_len = clip_len
        self.min_iou = min_iou
        #: Per clip, in the order of the samples returned: ``track`` and
        #: per frame ``(frame_position, box)``.
        self.clips: List[dict] = []
        self._tracks: Dict[int, list] = {}  # id -> [(pos, box, crop)]
        self._last_boxes: Dict[int, np.ndarray] = {}
        self._next_id = 0
        self._last_index: Optional[int] = None
        media['face_counts'] = []

    def add_frame(self, frame_index: int, boxes: np.ndarray,
                  crops: list) -> List[dict]:
        """Extend the tracks with a frame's faces.

        Args:
            frame_index (int): The frame's position in ``media['frames']``.
            boxes (np.ndarray): Its (K, 5) face boxes.
            crops (list): Its K face crops (BGR uint8).

        Returns:
            list[dict]: The clips completed by this frame: ``img`` (the
            T crops), ``img_path`` (the input's file, once per frame),
            ``frame_indices``, ``frame_idx`` (the first) and the meta keys
            of the test pipeline's input.
        """
        self.boxes.append(boxes)
        self.media['face_counts'].append(len(boxes))
        index = int(self.media['indices'][frame_index])
        if self._last_index is None or index != self._last_index + 1:
            self._tracks, self._last_boxes = {}, {}
        self._last_index = index
        ids = list(self._last_boxes)
        assigned = self._match(ids, boxes)
        tracks, last = {}, {}
        ready = []
        for k, (box, crop) in enumerate(zip(boxes, crops)):
            tid = assigned.get(k)
            if tid is None:
                tid, self._next_id = self._next_id, self._next_id + 1
            frames = self._tracks.get(tid, []) + [(frame_index, box, crop)]
            if len(frames) == self.clip_len:
                ready.append(self._clip(tid, frames))
                frames = []
            tracks[tid], last[tid] = frames, box
        # tracks without a face in this frame end (unfinished clip dropped)
        self._tracks, self._last_boxes = tracks, last
        return ready

    def _match(self, ids: List[int], boxes: np.ndarray) -> Dict[int, int]:
        """Greedy IoU matching: face index -> track id."""
        if not ids or len(boxes) == 0:
            return {}
        iou = box_iou(boxes, np.stack([self._last_boxes[i] for i in ids]))
        assigned: Dict[int, int] = {}
        used = set()
        for flat in np.argsort(-iou, axis=None):
            k, j = np.unravel_index(flat, iou.shape)
            if iou[k, j] < self.min_iou:
                break
            if k in assigned or j in used:
                continue
            assigned[int(k)] = ids[j]
            used.add(j)
        return assigned

    def _clip(self, track: int, frames: list) -> dict:
        """The model input of a finished clip."""
        positions = [p for p, _, _ in frames]
        indices = [int(self.media['indices'][p]) for p in positions]
        self.clips.append(
            dict(track=track, frames=[(p, b) for p, b, _ in frames]))
        return sample_input(self.media, [c for _, _, c in frames],
                            indices[0], frame_indices=indices)

    def faces_per_frame(self, samples: Sequence) -> List[List[dict]]:
        """Spread the scored clips over their frames.

        Args:
            samples (Sequence[DeepfakeDataSample]): The clip predictions,
                in the order of the clips returned by :meth:`add_frame`.

        Returns:
            list[list[dict]]: Per frame, per face that is part of a clip:
            ``box``, ``detector_score``, ``sample`` (:func:`frame_view`),
            ``clip`` (its position in :attr:`clips`), ``track`` and
            ``clip_sample`` (the clip's prediction).
        """
        per_frame: List[List[dict]] = [[] for _ in self.boxes]
        for ci, (clip, sample) in enumerate(zip(self.clips, samples)):
            for t, (pos, box) in enumerate(clip['frames']):
                per_frame[pos].append(
                    dict(
                        box_entry(box),
                        sample=frame_view(sample, t),
                        clip=ci,
                        track=clip['track'],
                        clip_sample=sample))
        return per_frame


def clip_score_rule(clip_len: int, video_score: str,
                    min_face_area_ratio: float) -> str:
    """The sentence that says how a clip model's score was made."""
    rule = (f'P(fake) of a clip of {clip_len} consecutive frames of a '
            'tracked face; clips starting on the same frame (several '
            'faces) score the most fake one not under '
            f'{min_face_area_ratio:g} of the largest mean face area')
    if video_score == 'logit_mean':
        return rule + ('; the video scores the sigmoid of the mean clip '
                       'logit (the official FakeSTormer video protocol)')
    return rule + '; the video scores the mean clip probability'


def build_clip_result(media: dict, per_frame: Sequence[List[dict]],
                      threshold: float, video_score: str,
                      min_face_area_ratio: float, clip_len: int,
                      calibration: Optional[Calibration] = None,
                      operating_point: Optional[str] = None) -> dict:
    """Score the clips, frames and the input of a clip model.

    Args:
        media (dict): ``file``, ``type``, ``indices`` and ``warnings`` of
            the decoded input.
        per_frame (Sequence[list[dict]]): :meth:`ClipFaces.faces_per_frame`
            (``score``, ``logit`` and ``ignored`` are added in place).
        threshold (float): Score from which the label is ``'fake'``.
        video_score (str): ``'logit_mean'`` (official) or ``'prob_mean'``.
        min_face_area_ratio (float): See
            :func:`~laanet.evaluation.functional.select_frame_face`.
        clip_len (int): Frames per clip.
        calibration (Calibration, optional): Gives the input's score,
            label and threshold as for image models
            (:func:`~laanet.evaluation.calibration.input_verdict`, fitted on
            clip and video scores); clip and face scores stay raw.
        operating_point (str, optional): The calibration's point to use.

    Returns:
        dict: The result format of :mod:`.results` plus ``clip_len`` and
        ``clips`` (per clip: ``track``, ``frame_indices``, ``score``,
        ``logit``, ``frame_logits`` when the model predicts them, and
        ``ignored``); ``frames`` carry per face the ``clip`` it belongs to
        and ``unscored_faces``, the faces found there that are in no
        complete clip (``no_face_frames``: frames where no face was found,
        from ``media['face_counts']``).
    """
    clips: Dict[int, dict] = {}
    for fi, faces in enumerate(per_frame):
        for face in faces:
            face['score'], face['logit'] = sample_score(face['sample'])
            entry = clips.setdefault(face['clip'], dict(
                track=face['track'], frame_indices=[], areas=[],
                sample=face['clip_sample']))
            entry['frame_indices'].append(int(media['indices'][fi]))
            b = face['box']
            entry['areas'].append((b[2] - b[0]) * (b[3] - b[1]))
    # clips that start on the same frame compete like faces of one frame
    by_start: Dict[int, List[int]] = {}
    for ci, entry in sorted(clips.items()):
        entry['score'], entry['logit'] = sample_score(entry['sample'])
        by_start.setdefault(entry['frame_indices'][0], []).append(ci)
    chosen_scores, chosen_logits = [], []
    for start, ids in sorted(by_start.items()):
        best, keep = select_frame_face(
            [float(np.mean(clips[i]['areas'])) for i in ids],
            [clips[i]['logit'] for i in ids], min_face_area_ratio)
        for i, k in zip(ids, keep):
            clips[i]['ignored'] = not k
        chosen_scores.append(clips[ids[best]]['score'])
        chosen_logits.append(clips[ids[best]]['logit'])
    frames, no_face = [], []
    counts = media.get('face_counts') or [len(f) for f in per_frame]
    for fi, faces in enumerate(per_frame):
        for face in faces:
            face['ignored'] = clips[face['clip']]['ignored']
        kept = [f['score'] for f in faces if not f['ignored']]
        frames.append(
            dict(
                index=int(media['indices'][fi]),
                score=round(max(kept), 6) if kept else None,
                faces=[face_entry(f, 'clip') for f in faces],
                unscored_faces=counts[fi] - len(faces)))
        if not counts[fi]:
            no_face.append(int(media['indices'][fi]))
    kind = media['type']
    result = frames_result(
        media, frames, no_face, threshold,
        clip_score_rule(clip_len, video_score, min_face_area_ratio))
    result.update(
        clip_len=clip_len,
        clips=[_clip_entry(clips[ci]) for ci in sorted(clips)])
    if chosen_scores:
        score = score_video(chosen_scores, chosen_logits, video_score)
        result.update(
            input_verdict(score, chosen_logits, video_score, 'video',
                          threshold, calibration, operating_point))
    elif kind == 'image':
        result['reason'] = (
            f'a clip model scores clips of {clip_len} consecutive frames '
            'of a face: give it a video, not an image')
    else:
        result['reason'] = (
            f'no face tracked over {clip_len} consecutive frames in the '
            f'{len(frames)} decoded frames')
    return result


def _clip_entry(entry: dict) -> dict:
    """The JSON entry of one scored clip."""
    out = dict(
        track=entry['track'],
        frame_indices=entry['frame_indices'],
        score=round(entry['score'], 6),
        logit=round(entry['logit'], 6),
        ignored=entry['ignored'])
    sample = entry['sample']
    if 'pred_frame_logits' in sample:
        out['frame_logits'] = [
            round(float(v), 6) for v in sample.pred_frame_logits.reshape(-1)
        ]
    return out
