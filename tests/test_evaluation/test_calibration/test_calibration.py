# Copyright (c) laanet contributors. All rights reserved.
"""Temperature scaling and operating points on synthetic logits of known
calibration, and the calibration file (laanet.evaluation.calibration)."""
import json

import numpy as np
import pytest
import torch
from mmengine.config import Config

from laanet.evaluation.calibration import (Calibration, CalibrationError,
                                           calibration_for_model,
                                           fit_calibration, fit_level,
                                           fit_temperature, input_verdict,
                                           model_config_sha256,
                                           weights_sha256)
from laanet.evaluation.functional import (average_precision, binary_nll,
                                          expected_calibration_error,
                                          roc_auc, sigmoid)


def _synthetic(n, temperature, seed=0):
    """Labels drawn from sigmoid(z); the model reports ``temperature * z``
    (over-confident for T > 1): the true temperature is known."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 2.0, n)
    labels = (rng.random(n) < sigmoid(z)).astype(np.int64)
    return temperature * z, labels


def _calibration(**kw):
    rng = np.random.default_rng(1)
    logits, labels = _synthetic(4000, 2.0, seed=1)
    videos = rng.choice(4000, 400, replace=False)
    return fit_calibration(
        logits, labels, logits[videos], labels[videos],
        model=kw.pop('model', dict(config='a.py', model_sha256='m',
                                   checkpoint='a.pth', weights_sha256='w')),
        fitted_on=dict(name='synthetic:val', split='val'),
        created='2026-12-04T18:00:00+00:00', **kw)


@pytest.mark.parametrize('temperature', [0.5, 2.5])
def test_known_temperature_is_recovered_within_2_percent(temperature):
    logits, labels = _synthetic(20000, temperature)
    assert fit_temperature(logits, labels) == pytest.approx(temperature,
                                                            rel=0.02)


def test_scaling_keeps_ranking_and_lowers_nll_and_ece():
    logits, labels = _synthetic(5000, 3.0, seed=2)
    level = fit_level(logits, labels, (0.05, ))
    t, stats = level['temperature'], level['stats']
    scaled = logits / t
    assert roc_auc(scaled, labels) == roc_auc(logits, labels)
    assert (average_precision(sigmoid(scaled), labels) == average_precision(
        sigmoid(logits), labels))
    assert stats['nll_after'] < stats['nll_before']
    assert stats['ece_after'] < stats['ece_before']
    assert stats['nll_after'] == pytest.approx(binary_nll(scaled, labels))
    assert stats['ece_after'] == pytest.approx(
        expected_calibration_error(sigmoid(scaled), labels))
    # the fitted T is the NLL minimum: nudging it either way is worse
    for factor in (0.97, 1.03):
        assert binary_nll(logits / (t * factor), labels) > stats['nll_after']


def test_threshold_at_fpr_5_percent_gives_5_percent():
    logits, labels = _synthetic(4000, 1.0, seed=3)
    point = fit_level(logits, labels, (0.05, ))['operating_points'][
        'fpr@0.05']
    reals = logits[labels == 0]
    fpr = float(np.mean(reals >= point['logit']))
    # on the fitting set: at most 5 %, short of it by less than one real
    assert fpr == point['fpr'] and 0.05 - 1 / reals.size < fpr <= 0.05
    # on a fresh set from the same source: 5 % within 3 binomial sigmas
    new_logits, new_labels = _synthetic(4000, 1.0, seed=4)
    new_reals = new_logits[new_labels == 0]
    sigma = np.sqrt(0.05 * 0.95 / new_reals.size)
    assert abs(np.mean(new_reals >= point['logit']) - 0.05) < 3 * sigma
    # the calibrated P(fake) of the point is the same decision
    assert point['probability'] == pytest.approx(
        float(sigmoid(point['logit'] / fit_level(
            logits, labels, (0.05, ))['temperature'])))


def test_bad_sets_get_clear_errors():
    logits, labels = _synthetic(400, 1.0)
    with pytest.raises(CalibrationError, match='frame level: the set holds '
                       '0 real and 400 fake'):
        fit_level(logits, np.ones_like(labels), name='frame')
    with pytest.raises(CalibrationError, match=r'video level: \d+ real '
                       'samples are too few for a target FPR of 0.001: at '
                       'least 1000'):
        fit_level(logits, labels, (0.001, ), name='video')
    with pytest.raises(CalibrationError, match='default operating point '
                       "'fpr@0.2' is not among"):
        _calibration(default_operating_point='fpr@0.2')


def test_file_round_trip_and_verdicts(tmp_path):
    cal = _calibration(default_operating_point='fpr@0.05')
    path = str(tmp_path / 'cal.json')
    cal.save(path)
    loaded = Calibration.load(path)
    assert loaded.to_dict() == json.loads(json.dumps(cal.to_dict()))
    data = json.load(open(path))
    assert data['fitted_on']['frames'] == 4000
    assert data['fitted_on']['videos'] == 400
    assert set(data['levels']['frame']['operating_points']) == {
        'eer', 'fpr@0.01', 'fpr@0.05'}
    point = loaded.operating_point('video')
    for z in (point['logit'] - 1e-9, point['logit'], 3.0, -3.0):
        v = loaded.verdict(z, 'video')
        assert v['score'] == pytest.approx(
            float(sigmoid(z / loaded.temperature('video'))))
        assert v['label'] == ('fake' if z >= point['logit'] else 'real')
        assert v['calibration']['operating_point'] == 'fpr@0.05'
        assert v['calibration']['file'] == path
        assert v['calibration']['fitted_on'].startswith(
            'synthetic:val (4000 frames, 400 videos; 2026-12-04)')
    # an image uses the frame level, a video the rule's video logit
    image = input_verdict(float(sigmoid(1.0)), [1.0], 'prob_mean', 'image',
                          0.5, loaded)
    assert image['score'] == round(
        float(sigmoid(1.0 / loaded.temperature('frame'))), 6)
    video = input_verdict(float(sigmoid(0.5)), [2.0, -1.0], 'logit_mean',
                          'video', 0.5, loaded, 'eer')
    assert video['score'] == round(
        float(sigmoid(0.5 / loaded.temperature('video'))), 6)
    assert video['calibration']['operating_point'] == 'eer'
    plain = input_verdict(0.7, [0.8], 'prob_mean', 'image', 0.5)
    assert plain['label'] == 'fake' and plain['threshold'] == 0.5
    assert plain['calibration']['calibrated'] is False
    assert 'uncalibrated' in plain['calibration']['note']


def test_malformed_files_are_refused(tmp_path):
    bad = tmp_path / 'bad.json'
    bad.write_text('{"format": "something-else"}')
    with pytest.raises(CalibrationError, match=f'{bad}: not a laanet '
                       'calibration'):
        Calibration.load(str(bad))
    data = _calibration().to_dict()
    data['levels']['video']['temperature'] = -1
    bad.write_text(json.dumps(data))
    with pytest.raises(CalibrationError, match='video temperature must be '
                       'a positive number'):
        Calibration.load(str(bad))
    with pytest.raises(FileNotFoundError, match='nowhere.json'):
        Calibration.load(str(tmp_path / 'nowhere.json'))


def _model_files(tmp_path):
    cfg = Config(dict(model=dict(type='X', depth=3, init_cfg=dict(
        type='Pretrained', checkpoint='imagenet.pth'))))
    ckpt = str(tmp_path / 'w.pth')
    torch.save(dict(state_dict=dict(w=torch.arange(4.)), meta=dict(a=1)),
               ckpt)
    return cfg, ckpt


def test_calibration_of_another_model_is_refused(tmp_path):
    cfg, ckpt = _model_files(tmp_path)
    model = dict(config='x.py', model_sha256=model_config_sha256(cfg),
                 checkpoint=ckpt, weights_sha256=weights_sha256(ckpt))
    cal = _calibration(model=model)
    path = str(tmp_path / 'cal.json')
    cal.save(path)
    assert calibration_for_model(path, cfg, ckpt).source == path
    # no init_cfg in the hash: inference drops pretrained inits
    no_init = Config(dict(model=dict(type='X', depth=3)))
    assert model_config_sha256(no_init) == model_config_sha256(cfg)
    other_cfg = Config(dict(model=dict(type='X', depth=4)))
    with pytest.raises(CalibrationError, match=f'{path}: made for another '
                       'model: config model hash'):
        calibration_for_model(path, other_cfg, ckpt)
    other = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict=dict(w=torch.arange(4.) + 1)), other)
    with pytest.raises(CalibrationError, match='checkpoint weights hash'):
        calibration_for_model(path, cfg, other)
    with pytest.raises(CalibrationError, match='checkpoint weights hash '
                       'None'):
        calibration_for_model(path, cfg, None)


def test_calibration_in_the_checkpoint_meta_is_found(tmp_path):
    cfg, ckpt = _model_files(tmp_path)
    hash_before = weights_sha256(ckpt)
    assert calibration_for_model(None, cfg, ckpt) is None
    model = dict(config='x.py', model_sha256=model_config_sha256(cfg),
                 checkpoint=ckpt, weights_sha256=hash_before)
    saved = torch.load(ckpt)
    saved['meta']['calibration'] = _calibration(model=model).to_dict()
    torch.save(saved, ckpt)
    # the weights hash ignores the meta the calibration was put in
    assert weights_sha256(ckpt) == hash_before
    found = calibration_for_model(None, cfg, ckpt)
    assert found.source == f"{ckpt} (meta['calibration'])"
    assert found.temperature('frame') == pytest.approx(2.0, rel=0.1)
