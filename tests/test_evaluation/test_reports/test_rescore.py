# Copyright (c) laanet contributors. All rights reserved.
import json
import os.path as osp

import pytest
from mmengine.evaluator import Evaluator

from laanet.evaluation.reports import (cross_dataset_markdown,
                                       load_scores_records, method_rows,
                                       metric_row, rescore)
from laanet.structures import DeepfakeDataSample
from laanet.utils import register_all_modules

DATA = osp.join(osp.dirname(osp.dirname(osp.dirname(__file__))), 'data')


def _samples():
    with open(osp.join(DATA, 'deepfakebench_metric_reference.json')) as f:
        ref = json.load(f)['ffpp_continuous_backslash']
    samples = []
    for i, r in enumerate(ref['frames']):
        s = DeepfakeDataSample().set_gt_label(r['label'])
        s.set_pred_score(r['prob'])
        s.set_metainfo(dict(video_id=r['video_id'], method=r['method'],
                            frame_idx=i, dfb_frame_path=r['dfb_frame_path']))
        samples.append(s)
    return samples, ref


def _scores_file(tmp_path, **kwargs):
    register_all_modules()
    path = str(tmp_path / 'scores.json')
    samples, ref = _samples()
    evaluator = Evaluator(dict(type='DeepfakeMetric', scores_file=path,
                               **kwargs))
    evaluator.process(samples)
    with pytest.warns(UserWarning):
        metrics = evaluator.evaluate(len(samples))
    return path, {k.split('/', 1)[1]: v for k, v in metrics.items()}, ref


def test_rescore_reproduces_and_switches_protocols(tmp_path):
    path, official, ref = _scores_file(tmp_path)
    with pytest.warns(UserWarning):
        assert rescore(path) == official
        dfb = rescore(path, 'deepfakebench')
        full = rescore(path, 'deepfakebench', 'full_id')
    # DeepfakeBench's get_test_metrics on these probabilities (float32
    # here, as a model outputs them)
    for k in ('acc', 'auc', 'eer', 'ap', 'video_auc'):
        assert dfb[k] == pytest.approx(100 * ref['deepfakebench'][k],
                                       abs=1e-9)
    assert full['video_auc'] != dfb['video_auc']
    # a file written under the deepfakebench protocol re-scores under the
    # official one as the official metric would
    path2, dfb_written, _ = _scores_file(tmp_path / 'b',
                                         protocol='deepfakebench')
    assert dfb_written == dfb
    with pytest.warns(UserWarning):
        assert rescore(path2, 'official') == official
    with pytest.raises(ValueError, match='needs the .json'):
        rescore(str(tmp_path / 'scores.csv'))


def test_method_rows_and_markdown(tmp_path):
    path, official, _ = _scores_file(tmp_path)
    records = load_scores_records(path)
    methods = method_rows('ff', 'official', 'full_id', official, records)
    assert [m['method'] for m in methods] == ['FF-DF', 'FF-F2F']
    reals = sum(r['label'] == 0 for r in records)
    assert all(m['real_frames'] == reals for m in methods)
    assert sum(m['fake_frames'] for m in methods) == len(records) - reals
    assert methods[0]['frame_auc'] == official['auc_FF-DF']
    row = dict(set='ff', status='done', protocol='official',
               video_grouping='full_id', **metric_row(official, prefix=''))
    gone = dict(set='gone', status='missing: x', protocol='deepfakebench',
                video_grouping='dfb_basename')
    md = cross_dataset_markdown('c.pth', None, [row, gone], methods)
    assert "## official protocol (LAA-Net's" in md
    assert ('## deepfakebench protocol (DeepfakeBench\'s get_test_metrics: '
            'video score = mean frame probability per video folder name'
            in md)
    assert '| gone (missing: x) |' in md
    assert f'| ff | FF-DF | {methods[0]["fake_frames"]} |' in md
    assert f'{official["video_tpr_at_fpr5"]:.2f}' in md
