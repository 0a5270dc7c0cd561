# Copyright (c) laanet contributors. All rights reserved.
"""cross_dataset_report.py --calibration: a calibration fitted on one set
applied to the others, on finished sets (their stored scores; no model
run)."""
import csv
import json
import os

import numpy as np
import pytest
from mmengine.config import Config

from laanet.evaluation.calibration import (CalibrationError,
                                           fit_calibration, level_logits,
                                           model_config_sha256,
                                           read_scores_json, weights_sha256)
from laanet.testing import load_tool

from test_calibrate import CONFIG, _synthetic_scores  # noqa: I100

# the report tool and a model's checkpoint (tens of seconds)
pytestmark = pytest.mark.slow


def _finished_set(tmp_path, name, shift):
    """A set config with its data present and its scores already tested
    (logits shifted by ``shift``: another source)."""
    data = tmp_path / f'{name}_data'
    os.makedirs(data / 'annotations')
    (data / 'annotations' / 'test.json').write_text('{}')
    config = tmp_path / f'{name}.py'
    config.write_text(f'_base_ = [{CONFIG!r}]\ntest_dataloader = dict('
                      f'dataset=dict(data_root={str(data) + "/"!r}))\n')
    set_dir = tmp_path / 'work' / 'sets' / name
    os.makedirs(set_dir)
    scores = _synthetic_scores(set_dir / 'scores.json')
    payload = json.load(open(scores))
    for row in payload['frames'] + payload['videos']:
        row['logit'] += shift
        row['score'] = float(1 / (1 + np.exp(-row['logit'])))
    (set_dir / 'scores.json').write_text(json.dumps(payload))
    (set_dir / 'metrics.json').write_text(json.dumps(dict(
        config=str(config), scores=scores, frames=400, videos=200,
        metrics={'deepfake/video_auc': 80.0})))
    return str(config), scores


def test_one_set_s_calibration_on_every_set(tmp_path, random_checkpoint):
    val, val_scores = _finished_set(tmp_path, 'val_set', 0.0)
    shifted, _ = _finished_set(tmp_path, 'shifted_set', 2.0)
    data = level_logits(read_scores_json(val_scores))
    cal = fit_calibration(
        data['frame']['logits'], data['frame']['labels'],
        data['video']['logits'], data['video']['labels'],
        model=dict(model_sha256=model_config_sha256(Config.fromfile(val)),
                   weights_sha256=weights_sha256(random_checkpoint)),
        fitted_on=dict(name='val_set:test'), target_fprs=(0.05, ),
        default_operating_point='fpr@0.05')
    cal_file = str(tmp_path / 'cal.json')
    cal.save(cal_file)
    rows = load_tool('tools/analysis_tools/cross_dataset_report.py').main([
        random_checkpoint, val, shifted, '--work-dir',
        str(tmp_path / 'work'), '--no-progress', '--paper-model', '',
        '--calibration', cal_file
    ])
    by_set = {r['set']: r for r in rows}
    point = cal.operating_point('video')
    assert by_set['val_set']['cal_video_fpr'] == pytest.approx(
        100 * point['fpr'])
    assert by_set['val_set']['cal_video_fpr'] <= 5.0
    # scores shifted up on another source: the threshold fitted on
    # val_set lets many more reals through there
    assert by_set['shifted_set']['cal_video_fpr'] > 10.0
    assert {r['calibration'] for r in rows} == {cal.fitted_on_text()}
    md = open(tmp_path / 'work' / 'cross_dataset.md').read()
    assert '## Calibrated verdicts' in md
    assert f'calibration fitted on {cal.fitted_on_text()}' in md
    table = list(csv.DictReader(open(tmp_path / 'work' /
                                     'cross_dataset.csv')))
    assert table[1]['cal_point'] == 'fpr@0.05'
    assert float(table[1]['cal_video_fpr']) == pytest.approx(
        by_set['shifted_set']['cal_video_fpr'])


def test_tta_is_part_of_the_model_the_calibration_is_checked_against(
        tmp_path, random_checkpoint):
    """A calibration made with --tta / --no-tta (calibrate.py hashes the
    model with it) fits a report run with the same flag, and only that."""
    from laanet.engine import apply_tta
    val, val_scores = _finished_set(tmp_path, 'val_set', 0.0)
    flip = not Config.fromfile(val).model.get('test_cfg', {}).get(
        'flip_test', False)
    data = level_logits(read_scores_json(val_scores))
    cal = fit_calibration(
        data['frame']['logits'], data['frame']['labels'],
        data['video']['logits'], data['video']['labels'],
        model=dict(
            model_sha256=model_config_sha256(
                apply_tta(Config.fromfile(val), flip)),
            weights_sha256=weights_sha256(random_checkpoint)),
        fitted_on=dict(name='val_set:test'), target_fprs=(0.05, ),
        default_operating_point='fpr@0.05')
    cal_file = str(tmp_path / 'cal.json')
    cal.save(cal_file)
    tool = load_tool('tools/analysis_tools/cross_dataset_report.py')
    argv = [
        random_checkpoint, val, '--no-progress', '--paper-model', '',
        '--calibration', cal_file
    ]
    rows = tool.main(argv + ['--work-dir', str(tmp_path / 'work'),
                             '--tta' if flip else '--no-tta'])
    assert rows[0]['calibration'] == cal.fitted_on_text()
    with pytest.raises(CalibrationError, match='made for another model'):
        tool.main(argv + ['--work-dir', str(tmp_path / 'other')])
