# Copyright (c) laanet contributors. All rights reserved.
"""The result of an input: the metric's settings and the assembly from
predicted data samples."""
import pytest
from mmengine.config import Config

from laanet.apis.results import build_result, metric_settings
from laanet.evaluation.functional import sigmoid
from laanet.structures import DeepfakeDataSample


def _cfg(**metric):
    return Config(dict(test_evaluator=dict(type='DeepfakeMetric', **metric)))


def test_metric_settings_are_the_config_metric_s():
    assert metric_settings(Config(dict())) == dict(
        threshold=0.5, video_score='logit_mean', min_face_area_ratio=0.5)
    got = metric_settings(
        _cfg(threshold=0.7, video_score='prob_mean', min_face_area_ratio=0.2))
    assert got == dict(
        threshold=0.7, video_score='prob_mean', min_face_area_ratio=0.2)
    # val_evaluator when there is no test_evaluator; a list of evaluators
    cfg = Config(
        dict(val_evaluator=[
            dict(type='Accuracy'),
            dict(type='DeepfakeMetric', min_face_area_ratio=0.)
        ]))
    assert metric_settings(cfg)['min_face_area_ratio'] == 0.
    # the argument overrides the metric
    assert metric_settings(_cfg(min_face_area_ratio=0.2),
                           0.9)['min_face_area_ratio'] == 0.9


def test_metric_settings_refuse_bad_values():
    with pytest.raises(ValueError, match='min_face_area_ratio'):
        metric_settings(_cfg(min_face_area_ratio=1.5))
    with pytest.raises(ValueError, match='min_face_area_ratio'):
        metric_settings(_cfg(), -0.1)
    with pytest.raises(ValueError, match="video_score 'median'"):
        metric_settings(_cfg(video_score='median'))


def _face(box, logit):
    sample = DeepfakeDataSample().set_pred_logit(logit)
    sample.set_pred_score(float(sigmoid(logit)))
    return dict(box=box, detector_score=1., sample=sample)


@pytest.mark.parametrize('ratio,frame_logit', [(0.5, 2.), (0.05, 5.)])
def test_build_result_reads_the_samples(ratio, frame_logit):
    """A big face (logit 2) and a small one (logit 5, 9% of its area):
    the ratio decides whether the small one scores the frame."""
    media = dict(file='a.png', type='image', indices=[0], warnings=[])
    faces = [[_face([0, 0, 100, 100], 2.), _face([0, 0, 30, 30], 5.)]]
    r = build_result(media, faces, 0.5, 'logit_mean', ratio)
    assert r['score'] == round(float(sigmoid(frame_logit)), 6)
    assert [f['ignored'] for f in r['frames'][0]['faces']] == [
        False, ratio == 0.5]
    assert f'faces under {ratio:g} of the largest' in r['score_rule']
    assert faces[0][1]['logit'] == pytest.approx(5.)
