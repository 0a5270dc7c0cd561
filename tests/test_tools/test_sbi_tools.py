# Copyright (c) laanet contributors. All rights reserved.
"""SBI end to end through the tools: a short SAM(SGD) training run on the
demo faces, tools/test.py on its checkpoint (the video AUC against SBI's
rule computed by hand, with several faces per frame) and image_demo.py."""
import glob
import json
import os.path as osp

import numpy as np
import pytest
from sklearn import metrics as skm

from laanet.testing import run_tool

# slow: subprocess training, testing and inference
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'tests', 'data', 'sbi_demo_config.py')


@pytest.fixture(scope='module')
def trained(demo_root, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('sbi_work'))
    run_tool([
        'tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
        f'train_dataloader.dataset.data_root={demo_root}',
        f'test_dataloader.dataset.data_root={demo_root}'
    ])
    return work_dir


def test_short_sam_sgd_training_on_the_demo_faces(trained):
    files = glob.glob(osp.join(trained, '*', 'vis_data', 'scalars.json'))
    with open(files[0]) as f:
        records = [json.loads(line) for line in f if line.strip()]
    losses = [r['loss_cls'] for r in records if 'loss_cls' in r]
    # 10 faces -> 10 pairs / 4 per step = 3 steps per epoch, 4 epochs
    assert len(losses) == 12 and all(np.isfinite(losses))
    # 2-class cross entropy starts near ln 2
    assert abs(losses[0] - np.log(2)) < 0.5
    assert all(r['lr'] == pytest.approx(1e-2) for r in records if 'lr' in r)
    assert osp.isfile(osp.join(trained, 'epoch_4.pth'))


def _multi_face_annotation(demo_root, out):
    """Videos of two frames with two faces each, made of the demo test
    faces (one face per video there): frame 0 has a face below half the
    largest's area (ignored by SBI's rule), frame 1 two faces that count."""
    with open(osp.join(demo_root, 'annotations', 'test.json')) as f:
        ann = json.load(f)
    data = []
    for label in (0, 1):
        faces = [e for e in ann['data_list'] if e['label'] == label]
        n = len(faces)
        for i in range(n):
            layout = ((0, i, 1000.), (0, i + 1, 450.), (1, i + 2, 1000.),
                      (1, i + 3, 600.))
            for frame_idx, k, area in layout:
                data.append(
                    dict(faces[k % n], video_id=f'multi/{label}_{i}',
                         frame_idx=frame_idx, face_area=area))
    ann['data_list'] = data
    with open(out, 'w') as f:
        json.dump(ann, f)
    return out


def test_tools_test_video_auc_is_sbi_rule_by_hand(trained, demo_root,
                                                  tmp_path):
    ann = _multi_face_annotation(demo_root, str(tmp_path / 'multi.json'))
    scores = str(tmp_path / 'scores.json')
    run_tool([
        'tools/test.py', CONFIG,
        osp.join(trained, 'epoch_4.pth'), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        f'test_dataloader.dataset.data_root={demo_root}',
        f'test_dataloader.dataset.ann_file={ann}',
        f'test_evaluator.scores_file={scores}'
    ])
    with open(scores) as f:
        dump = json.load(f)
    faces = dump['faces']
    assert dump['video_score'] == 'prob_mean'
    # SBI's inference rule: per frame the max P(fake) over faces at least
    # half the largest face's area, per video the mean over frames
    frames = {}
    for face in faces:
        frames.setdefault((face['video_id'], face['frame_idx']),
                          []).append(face)
    assert any(len(v) > 1 for v in frames.values())
    videos = {}
    for (vid, _), fs in frames.items():
        largest = max(f['face_area'] for f in fs)
        kept = [f['score'] for f in fs if f['face_area'] >= largest / 2]
        videos.setdefault(vid, [fs[0]['label'], []])[1].append(max(kept))
    labels = [v[0] for v in videos.values()]
    means = [float(np.mean(v[1])) for v in videos.values()]
    want = skm.roc_auc_score(labels, means) * 100
    assert dump['metrics']['video_auc'] == pytest.approx(want)
    assert len(dump['frames']) == len(frames)


def test_image_demo_with_the_sbi_config(trained, tmp_path):
    import cv2

    from laanet.utils.demo_media import astronaut_bgr
    img = str(tmp_path / 'astronaut.png')
    cv2.imwrite(img, astronaut_bgr())
    out_dir = str(tmp_path / 'out')
    run_tool([
        'demo/image_demo.py', img, CONFIG, '--checkpoint',
        osp.join(trained, 'epoch_4.pth'), '--out-dir', out_dir,
        '--no-progress'
    ])
    with open(osp.join(out_dir, 'astronaut.json')) as f:
        result = json.load(f)
    assert 0 <= result['score'] <= 1
    assert result['label'] in ('real', 'fake')
    assert len(result['frames'][0]['faces']) == 1
