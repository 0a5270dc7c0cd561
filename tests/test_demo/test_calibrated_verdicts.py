# Copyright (c) laanet contributors. All rights reserved.
"""One input, one calibration: the demo's JSON, tools/test.py on the same
face crop and the web app's verdict in a real browser agree (slow)."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from laanet.testing import handmade_calibration
from laanet.utils.demo_media import astronaut_bgr

# test_gradio_app's browser and port helpers (same folder, on sys.path)
from test_gradio_app import _chrome, _serve_app  # noqa: E402,I100

pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def case(inference_files, tmp_path_factory):
    """The input (one face), its calibration and the CLI's result."""
    cfg_file, ckpt = inference_files
    root = tmp_path_factory.mktemp('calibrated')
    image = str(root / 'astronaut_face.png')
    cv2.imwrite(image, astronaut_bgr()[:260, 80:340])
    cal = str(root / 'cal.json')
    handmade_calibration(cfg_file, ckpt).save(cal)
    sys.path.insert(0, osp.join(REPO, 'demo'))
    try:
        import image_demo
    finally:
        sys.path.pop(0)
    out_dir = root / 'cli'
    assert image_demo.main([
        image, cfg_file, '--checkpoint', ckpt, '--out-dir',
        str(out_dir), '--calibration', cal, '--no-progress'
    ]) == 0
    result = json.loads((out_dir / 'astronaut_face.json').read_text())
    return dict(cfg=cfg_file, ckpt=ckpt, image=image, cal=cal, root=root,
                result=result)


def test_cli_json_is_calibrated(case):
    r = case['result']
    (frame, ) = r['frames']
    assert len(frame['faces']) == 1
    info = r['calibration']
    assert info['calibrated'] and info['level'] == 'frame'
    assert info['operating_point'] == 'eer' and info['file'] == case['cal']
    assert info['fitted_on'].startswith('handmade:val (100 frames')
    raw = info['raw_score']
    logit = np.log(raw / (1 - raw))
    assert r['score'] == pytest.approx(1 / (1 + np.exp(-logit / 2.0)),
                                       abs=2e-6)
    assert r['threshold'] == pytest.approx(1 / (1 + np.exp(-0.05 / 2.0)))
    assert r['label'] == ('fake' if logit >= 0.05 else 'real')


def test_test_py_agrees_on_the_same_face(case, tmp_path):
    """The demo's face crop as a one-frame test set: tools/test.py
    --calibration gives the same calibrated P(fake) and verdict."""
    from laanet.apis import DeepfakeInferencer
    inf = DeepfakeInferencer(case['cfg'], weights=case['ckpt'],
                             device='cpu', show_progress=False)
    media = inf.preprocess(case['image'])
    (boxes, ) = inf.detect(media['frames'])
    (crop, ) = inf.crop_faces(media['frames'][0], boxes)
    os.makedirs(tmp_path / 'data' / 'faces')
    cv2.imwrite(str(tmp_path / 'data' / 'faces' / 'a.png'), crop)
    (tmp_path / 'data' / 'test.json').write_text(json.dumps(dict(
        metainfo=dict(dataset='one-face'),
        data_list=[dict(img_path='faces/a.png', video_id='a', frame_idx=0,
                        label=0)])))
    config = tmp_path / 'set.py'
    config.write_text(
        f'_base_ = [{case["cfg"]!r}]\n'
        'test_dataloader = dict(batch_size=1, num_workers=0, '
        "sampler=dict(type='DefaultSampler', shuffle=False), "
        "dataset=dict(type='DeepfakeDataset', "
        f'data_root={str(tmp_path / "data") + "/"!r}, '
        "ann_file='test.json', test_mode=True))\n"
        "test_cfg = dict(type='TestLoop')\n")
    proc = subprocess.run([
        sys.executable, 'tools/test.py', str(config), case['ckpt'],
        '--work-dir', str(tmp_path / 'work'), '--calibration', case['cal']
    ], cwd=REPO, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONPATH=REPO))
    assert proc.returncode == 0, proc.stderr[-3000:]
    (path, ) = glob.glob(str(tmp_path / 'work' / '*' /
                             'calibrated_scores.json'))
    (frame, ) = json.load(open(path))['frames']
    r = case['result']
    assert frame['calibrated_score'] == pytest.approx(r['score'], abs=2e-6)
    assert frame['calibrated_label'] == r['label']


def test_app_verdict_in_a_real_browser(case, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    with _serve_app([
            case['cfg'], '--checkpoint', case['ckpt'], '--calibration',
            case['cal']
    ], tmp_path / 'app.log') as url:
        browser = _chrome()
        try:
            browser.get(url)
            wait = WebDriverWait(browser, 180, poll_frequency=0.5)
            upload = wait.until(lambda b: b.find_elements(
                By.CSS_SELECTOR, '#media-file input[type=file]'))
            upload[0].send_keys(case['image'])
            wait.until(lambda b: 'astronaut_face' in b.find_element(
                By.ID, 'media-file').text)
            browser.execute_script('arguments[0].click();',
                                   browser.find_element(By.ID, 'score-btn'))
            wait.until(lambda b: 'astronaut_face.png' in b.find_element(
                By.ID, 'verdict').text)
            text = browser.find_element(By.ID, 'verdict').text
        finally:
            browser.save_screenshot(str(tmp_path / 'calibrated.png'))
            browser.quit()
    r = case['result']
    assert text.startswith(f'P(fake) = {r["score"]:.4f} → {r["label"]}'), \
        text
    assert f'threshold {r["threshold"]:g}' in text
    assert ('Verdict: calibrated on handmade:val (100 frames, 10 videos; '
            '2026-12-04), operating point eer (FPR 20.0 %, TPR 80.0 % '
            'there).') in text
