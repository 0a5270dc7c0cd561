# Copyright (c) laanet contributors. All rights reserved.
import csv
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from sklearn import metrics as skm

from laanet.evaluation import DeepfakeMetric
from laanet.structures import DeepfakeDataSample
from laanet.utils import register_all_modules


def _samples(seed=0, num_videos=12, frames=4):
    rng = np.random.default_rng(seed)
    samples = []
    for v in range(num_videos):
        label = v % 2
        manip = 'original' if not label else ('Deepfakes',
                                              'FaceSwap')[v % 4 // 2]
        for f in range(frames):
            lg = float(rng.normal(label * 1.5 - 0.5, 1.5))
            s = DeepfakeDataSample().set_gt_label(label)
            s.set_pred_logit(lg).set_pred_score(1 / (1 + np.exp(-lg)))
            s.set_metainfo(
                dict(
                    video_id=f'{manip}/{v:03d}',
                    frame_idx=f,
                    manipulation=manip,
                    img_path=f'{manip}/{v}/{f}.png'))
            samples.append(s)
    return samples


def _arrays(samples):
    logits = np.array([float(s.pred_logit) for s in samples])
    labels = np.array([int(s.gt_label) for s in samples])
    vids = [s.video_id for s in samples]
    manips = np.array([s.manipulation for s in samples])
    return logits, labels, vids, manips


def _evaluate(samples, **kwargs):
    register_all_modules()
    evaluator = Evaluator(dict(type='DeepfakeMetric', **kwargs))
    evaluator.process(samples)  # converts the samples to dicts
    return evaluator.evaluate(len(samples))


def test_frame_video_and_manipulation_metrics_match_sklearn():
    samples = _samples()
    out = _evaluate(samples)
    logits, labels, vids, manips = _arrays(samples)
    probs = 1 / (1 + np.exp(-logits))
    assert out['deepfake/auc'] == pytest.approx(
        100 * skm.roc_auc_score(labels, probs))
    assert out['deepfake/ap'] == pytest.approx(
        100 * skm.average_precision_score(labels, probs))
    assert out['deepfake/acc'] == pytest.approx(
        100 * skm.accuracy_score(labels, probs >= 0.5))
    ap = skm.average_precision_score(labels, probs)
    ar = skm.recall_score(labels, probs >= 0.5, average='macro')
    assert out['deepfake/ap_ar_hmean'] == pytest.approx(100 * 2 * ap * ar /
                                                        (ap + ar))
    # Video score: sigmoid of the mean logit.
    uniq = list(dict.fromkeys(vids))
    v_logit = np.array([
        logits[[i for i, v in enumerate(vids) if v == u]].mean() for u in uniq
    ])
    v_label = np.array([labels[vids.index(u)] for u in uniq])
    v_prob = 1 / (1 + np.exp(-v_logit))
    assert out['deepfake/video_auc'] == pytest.approx(
        100 * skm.roc_auc_score(v_label, v_prob))
    assert out['deepfake/video_acc'] == pytest.approx(
        100 * skm.accuracy_score(v_label, v_prob >= 0.5))
    # Each manipulation against all reals.
    keep = (labels == 0) | (manips == 'FaceSwap')
    assert out['deepfake/auc_FaceSwap'] == pytest.approx(
        100 * skm.roc_auc_score(labels[keep], probs[keep]))
    v_manip = np.array([u.split('/')[0] for u in uniq])
    keep = (v_label == 0) | (v_manip == 'Deepfakes')
    assert out['deepfake/video_auc_Deepfakes'] == pytest.approx(
        100 * skm.roc_auc_score(v_label[keep], v_prob[keep]))
    assert 'deepfake/auc_original' not in out


def test_prob_mean_option():
    samples = _samples(1)
    out = _evaluate(samples, video_score='prob_mean')
    logits, labels, vids, _ = _arrays(samples)
    probs = 1 / (1 + np.exp(-logits))
    uniq = list(dict.fromkeys(vids))
    v_prob = np.array([
        probs[[i for i, v in enumerate(vids) if v == u]].mean() for u in uniq
    ])
    v_label = np.array([labels[vids.index(u)] for u in uniq])
    assert out['deepfake/video_auc'] == pytest.approx(
        100 * skm.roc_auc_score(v_label, v_prob))


def test_single_class_is_nan_with_warning():
    samples = [s for s in _samples() if int(s.gt_label) == 1]
    with pytest.warns(UserWarning, match='AUC is undefined'):
        out = _evaluate(samples)
    assert np.isnan(out['deepfake/auc'])
    assert np.isnan(out['deepfake/video_auc'])
    assert out['deepfake/acc'] >= 0


def test_without_video_ids_each_frame_is_a_video():
    samples = []
    for i, (label, score) in enumerate([(0, .2), (1, .7), (0, .6), (1, .9)]):
        samples.append(
            DeepfakeDataSample().set_gt_label(label).set_pred_score(score))
    out = _evaluate(samples)
    assert out['deepfake/video_auc'] == pytest.approx(out['deepfake/auc'])
    assert not any(k.startswith('deepfake/auc_') for k in out)


def test_score_files(tmp_path):
    samples = _samples(2, num_videos=4, frames=3)
    json_path = tmp_path / 'scores.json'
    out = _evaluate(samples, scores_file=str(json_path))
    payload = json.loads(json_path.read_text())
    assert len(payload['frames']) == 12 and len(payload['videos']) == 4
    assert payload['metrics']['video_auc'] == pytest.approx(
        out['deepfake/video_auc'])
    v = payload['videos']
    assert 100 * skm.roc_auc_score(
        [x['label']
         for x in v], [x['score']
                       for x in v]) == pytest.approx(out['deepfake/video_auc'])
    csv_path = tmp_path / 'sub' / 'scores.csv'
    _evaluate(samples, scores_file=str(csv_path))
    rows = list(csv.DictReader(csv_path.open()))
    frames = [r for r in rows if r['level'] == 'frame']
    videos = [r for r in rows if r['level'] == 'video']
    assert len(frames) == 12 and len(videos) == 4
    assert videos[0]['num_frames'] == '3'
    assert frames[0]['img_path'].endswith('.png')
    assert not list(tmp_path.glob('sub/*.tmp'))


def test_calculate_and_errors():
    out = DeepfakeMetric.calculate([0.1, 0.3, 0.8, 0.6], [0, 0, 1, 1],
                                   video_ids=['a', 'a', 'b', 'b'])
    assert out['video_auc'] == 100.0 and out['video_acc'] == 100.0
    with pytest.raises(ValueError, match='video_score'):
        DeepfakeMetric(video_score='max')
    with pytest.raises(ValueError, match='.json or .csv'):
        DeepfakeMetric(scores_file='x.txt')
    metric = DeepfakeMetric()
    with pytest.raises(KeyError, match='gt_label'):
        metric.process(None, [dict(pred_score=torch.tensor([0.5]))])
    with pytest.raises(KeyError, match='pred_score'):
        metric.process(None, [dict(gt_label=torch.tensor([1]))])
    # A logit alone is enough.
    metric.process(
        None,
        [dict(gt_label=torch.tensor([1]), pred_logit=torch.tensor([2.0]))])
    assert metric.results[0]['score'] == pytest.approx(1 / (1 + np.exp(-2)))


def test_confident_frames_are_ranked_by_logit():
    # A float32 sigmoid is exactly 1.0 above a logit of ~16.6: ranked by
    # it, these four frames would tie (AUC 50); the logit separates them.
    logits = [17., 18., 19., 20., -3.]
    labels = [0, 1, 0, 1, 0]
    samples = []
    for i, (lg, label) in enumerate(zip(logits, labels)):
        s = DeepfakeDataSample().set_gt_label(label)
        score = torch.sigmoid(torch.tensor([lg], dtype=torch.float32))
        s.set_pred_logit(lg).set_pred_score(float(score))
        s.set_metainfo(dict(video_id=f'v{i}'))
        samples.append(s)
    assert all(float(s.pred_score) == 1. for s in samples[:4])
    metrics = _evaluate(samples)
    expected = skm.roc_auc_score(labels, logits) * 100
    assert metrics['deepfake/auc'] == pytest.approx(expected)
    assert metrics['deepfake/ap'] == pytest.approx(
        skm.average_precision_score(labels, logits) * 100)
    assert metrics['deepfake/acc'] == pytest.approx(60.)
    # without logits the ranking falls back to the (tied) scores
    assert DeepfakeMetric.calculate(
        [float(s.pred_score) for s in samples], labels)['auc'] < expected


def test_faces_of_a_frame_are_merged_by_sbi_rule():
    """Two faces per frame: a frame scores its highest P(fake) among faces
    at least half as large as the largest; a video the mean over frames
    (prob_mean), computed here by hand as SBI's inference does."""
    rng = np.random.default_rng(0)
    samples, by_hand, by_hand_all, labels = [], {}, {}, {}
    for v in range(10):
        label = v % 2
        frame_scores, frame_scores_all = [], []
        for f in range(3):
            faces = []
            for k, area in enumerate((900., 400., 500.)):
                p = float(rng.uniform(0.05, 0.95))
                s = DeepfakeDataSample().set_gt_label(label)
                s.set_pred_score(p).set_pred_logit(np.log(p / (1 - p)))
                s.set_metainfo(dict(video_id=f'v{v}', frame_idx=f,
                                    face_area=area))
                samples.append(s)
                faces.append((area, p))
            largest = max(a for a, _ in faces)
            frame_scores.append(
                max(p for a, p in faces if a >= largest / 2))
            frame_scores_all.append(max(p for _, p in faces))
        by_hand[f'v{v}'] = float(np.mean(frame_scores))
        by_hand_all[f'v{v}'] = float(np.mean(frame_scores_all))
        labels[f'v{v}'] = label
    out = _evaluate(samples, video_score='prob_mean')
    vids = sorted(by_hand)
    want = skm.roc_auc_score([labels[v] for v in vids],
                             [by_hand[v] for v in vids]) * 100
    assert out['deepfake/video_auc'] == pytest.approx(want)
    # without the areas every face counts
    for s in samples:
        del s.face_area
    want_all = skm.roc_auc_score([labels[v] for v in vids],
                                 [by_hand_all[v] for v in vids]) * 100
    assert want_all != pytest.approx(want)
    assert _evaluate(samples, video_score='prob_mean')[
        'deepfake/video_auc'] == pytest.approx(want_all)


DATA = osp.join(osp.dirname(osp.dirname(osp.dirname(__file__))), 'data')


def _load(name):
    with open(osp.join(DATA, name)) as f:
        return json.load(f)


@pytest.mark.parametrize('variant,kwargs', [
    ('default', {}),
    ('prob_mean_threshold_0_3', dict(video_score='prob_mean',
                                     threshold=0.3)),
])
def test_official_protocol_unchanged(variant, kwargs):
    """Every number DeepfakeMetric returned before the protocol option
    (58f5365, tests/data/README.md) comes back bit for bit; the new
    metrics are additions."""
    for name, data in _load('deepfake_metric_official_before.json').items():
        samples = []
        for r in data['rows']:
            score = float(torch.sigmoid(
                torch.tensor([r['logit']], dtype=torch.float32)))
            samples.append(dict(r, pred_logit=r['logit'], pred_score=score,
                                gt_label=r['label']))
        metric = DeepfakeMetric(**kwargs)
        metric.process(None, samples)
        with pytest.warns(UserWarning, match='TPR at FPR'):
            now = metric.compute_metrics(metric.results)
        before = data[variant]
        for key, value in before.items():
            assert now[key] == value, (name, key)
        assert sorted(set(now) - set(before)) == [
            'brier', 'ece', 'tpr_at_fpr1', 'tpr_at_fpr5', 'video_brier',
            'video_ece', 'video_tpr_at_fpr1', 'video_tpr_at_fpr5'
        ]


def _dfb_samples(frames):
    samples = []
    for r in frames:
        s = DeepfakeDataSample().set_gt_label(r['label'])
        s.set_pred_score(r['prob'])
        s.set_metainfo(dict(video_id=r['video_id'], method=r['method'],
                            dfb_frame_path=r['dfb_frame_path'],
                            img_path='/data/' + r['dfb_frame_path']))
        samples.append(s)
    return samples


def test_deepfakebench_protocol_and_rereadable_scores(tmp_path):
    """Under protocol='deepfakebench' the metric gives DeepfakeBench's
    numbers, and its scores file holds exactly the (probability, label,
    frame path) triples DeepfakeBench's get_test_metrics takes."""
    ref = _load('deepfakebench_metric_reference.json')['ties_tenths_slash']
    samples = _dfb_samples(ref['frames'])
    path = tmp_path / 'scores.json'
    out = _evaluate(samples, protocol='deepfakebench',
                    scores_file=str(path))
    for k in ('acc', 'auc', 'eer', 'ap', 'video_auc'):
        assert abs(out[f'deepfake/{k}'] -
                   100 * ref['deepfakebench'][k]) <= 1e-9
    # the per-method breakdown uses `method`
    assert {'deepfake/auc_FF-DF', 'deepfake/auc_FF-FS'} <= set(out)
    payload = json.loads(path.read_text())
    assert payload['protocol'] == 'deepfakebench'
    assert payload['video_grouping'] == 'dfb_basename'
    # (the data sample holds the score as float32, as a model outputs it)
    assert [(f['score'], f['label'], f['dfb_frame_path'])
            for f in payload['frames']] == [(float(np.float32(r['prob'])),
                                             r['label'], r['dfb_frame_path'])
                                            for r in ref['frames']]
    # videos as DeepfakeBench groups them: merged folder names
    videos = payload['videos']
    assert len(videos) < len({r['video_id'] for r in ref['frames']})
    assert 100 * skm.roc_auc_score(
        [v['label'] for v in videos],
        [v['score'] for v in videos]) == pytest.approx(
            out['deepfake/video_auc'], abs=1e-9)
    merged = [v for v in videos if v['method'] is None]
    assert merged and all(v['num_frames'] > 1 for v in merged)
    # the corrected grouping: one video per full id
    csv_path = tmp_path / 'scores.csv'
    full = _evaluate(samples, protocol='deepfakebench',
                     video_grouping='full_id', scores_file=str(csv_path))
    rows = list(csv.DictReader(csv_path.open()))
    assert len([r for r in rows if r['level'] == 'video']) == len(
        {r['video_id'] for r in ref['frames']})
    frame_rows = [r for r in rows if r['level'] == 'frame']
    assert frame_rows[0]['dfb_frame_path'] == ref['frames'][0][
        'dfb_frame_path']
    assert frame_rows[0]['method'] == ref['frames'][0]['method']
    assert full['deepfake/auc'] == out['deepfake/auc']
    assert full['deepfake/video_auc'] != out['deepfake/video_auc']


def test_dfb_basename_falls_back_to_img_path():
    ref = _load('deepfakebench_metric_reference.json')['ffpp_continuous_'
                                                       'backslash']
    samples = _dfb_samples(ref['frames'])
    for s in samples:
        s.set_metainfo(dict(img_path=s.img_path.replace('\\', '/')))
        del s.dfb_frame_path
    out = _evaluate(samples, protocol='deepfakebench')
    assert abs(out['deepfake/video_auc'] -
               100 * ref['deepfakebench']['video_auc']) <= 1e-9
    for s in samples:
        del s.img_path
    with pytest.raises(ValueError, match='needs `dfb_frame_path`'):
        _evaluate(samples, protocol='deepfakebench')


def test_screening_metrics_in_the_metric():
    samples = _samples(3, num_videos=40, frames=3)
    out = _evaluate(samples, fpr_targets=(0.05, 0.2))
    logits, labels, vids, _ = _arrays(samples)
    probs = np.array([float(s.pred_score) for s in samples])
    fpr, tpr, _ = skm.roc_curve(labels, logits, drop_intermediate=False)
    assert out['deepfake/tpr_at_fpr20'] == 100 * tpr[fpr <= 0.2].max()
    assert out['deepfake/brier'] == pytest.approx(
        100 * np.mean((probs - labels)**2))
    assert 0 < out['deepfake/ece'] < 100
    uniq = list(dict.fromkeys(vids))
    v_prob = 1 / (1 + np.exp(-np.array([
        logits[[i for i, v in enumerate(vids) if v == u]].mean()
        for u in uniq
    ])))
    v_label = np.array([labels[vids.index(u)] for u in uniq])
    fpr, tpr, _ = skm.roc_curve(v_label, v_prob, drop_intermediate=False)
    assert out['deepfake/video_tpr_at_fpr20'] == pytest.approx(
        100 * tpr[fpr <= 0.2].max())
    assert out['deepfake/video_brier'] == pytest.approx(
        100 * np.mean((v_prob - v_label)**2))
    with pytest.raises(ValueError, match=r'\(0, 1\)'):
        DeepfakeMetric(fpr_targets=(1, ))
    with pytest.raises(ValueError, match='breakdown_key'):
        DeepfakeMetric(breakdown_key='video_id')
