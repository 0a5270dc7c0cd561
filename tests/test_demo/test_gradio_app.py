# Copyright (c) laanet contributors. All rights reserved.
"""demo/gradio_app.py: its command line, then the running app driven by a
real headless Chromium and by gradio_client (slow)."""
import contextlib
import json
import os
import os.path as osp
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import pytest

from laanet.testing import load_tool
from laanet.utils.demo_media import astronaut_bgr, carphone_video, t1_image

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NUM_FRAMES = 8
#: The test app refuses images over 2000x2000 pixels (huge.png).
MAX_PIXELS = 2000 * 2000


@pytest.fixture(scope='module')
def app_tool():
    return load_tool('demo/gradio_app.py')


def test_model_specs(app_tool):
    specs = app_tool.model_specs(
        app_tool.parse_args(['configs/a/x.py', '--checkpoint', 'x.pth']))
    assert specs == {'x': ('configs/a/x.py', 'x.pth')}
    specs = app_tool.model_specs(
        app_tool.parse_args([
            '--model', 'LAA-Net=a.py:a.pth', '--model', 'SBI=b.py:b.pth',
            '--model', 'random=c.py'
        ]))
    assert list(specs) == ['LAA-Net', 'SBI', 'random']
    assert specs['SBI'] == ('b.py', 'b.pth') and specs['random'][1] is None
    args = app_tool.parse_args([])
    assert (args.host, args.port) == ('127.0.0.1', 7860)
    for argv, msg in (([], 'give a CONFIG'),
                      (['--model', 'a.py'], 'expected NAME=CONFIG'),
                      (['--model', 'x=a.py', '--model', 'x=b.py'],
                       'given twice'),
                      (['--checkpoint', 'a.pth'], 'goes with a positional')):
        with pytest.raises(ValueError, match=msg):
            app_tool.model_specs(app_tool.parse_args(argv))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture(scope='module')
def media(tmp_path_factory):
    """The uploads: demo media and bad files, by name."""
    root = tmp_path_factory.mktemp('uploads')
    cv2.imwrite(str(root / 'huge.png'), np.zeros((2001, 2000, 3), np.uint8))
    small = cv2.resize(astronaut_bgr(), (384, 384))
    cv2.imwrite(str(root / 'astronaut_small.png'), small)
    cv2.imwrite(str(root / 'blank.png'), np.full((200, 200, 3), 127,
                                                 np.uint8))
    (root / 'notes.txt').write_text('not media')
    (root / 'empty.mp4').write_bytes(b'')
    (root / 'broken.mp4').write_bytes(b'\x00\x00\x00\x18ftypmp42 garbage')
    files = {p.name: str(p) for p in root.iterdir()}
    files.update({'t1.jpg': t1_image(), 'carphone.mp4': carphone_video()})
    return files


@pytest.fixture(scope='module')
def cli_json(inference_files, media, tmp_path_factory):
    """What demo/video_demo.py writes for each good upload."""
    sys.path.insert(0, osp.join(REPO, 'demo'))
    try:
        import video_demo
    finally:
        sys.path.pop(0)
    cfg_file, ckpt = inference_files
    out = {}
    for name in ('astronaut_small.png', 't1.jpg', 'carphone.mp4'):
        out_dir = tmp_path_factory.mktemp('cli')
        assert video_demo.main([
            media[name], cfg_file, '--checkpoint', ckpt, '--out-dir',
            str(out_dir), '--num-frames',
            str(NUM_FRAMES), '--no-progress'
        ]) == 0
        (path, ) = [p for p in out_dir.iterdir() if p.suffix == '.json']
        out[name] = json.loads(path.read_text())
    return out


@contextlib.contextmanager
def _serve_app(args, log):
    """Start demo/gradio_app.py with ``args`` on a free localhost port, as
    users start it; yield its URL once it answers, stop it afterwards."""
    port = _free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED='False')
    with open(log, 'w') as f:
        proc = subprocess.Popen(
            [sys.executable, osp.join(REPO, 'demo', 'gradio_app.py')] +
            list(args) + ['--port', str(port)],
            stdout=f, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    url = f'http://127.0.0.1:{port}/'
    try:
        deadline = time.time() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f'the app exited: {log.read_text()[-3000:]}')
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f'the app did not answer: {log.read_text()}')
            time.sleep(1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope='module')
def app_url(inference_files, tmp_path_factory):
    """The app, started as users start it, on a free localhost port."""
    cfg_file, ckpt = inference_files
    log = tmp_path_factory.mktemp('app') / 'app.log'
    with _serve_app([
            cfg_file, '--checkpoint', ckpt, '--num-frames',
            str(NUM_FRAMES), '--max-pixels',
            str(MAX_PIXELS)
    ], log) as url:
        yield url


def _same_as_cli(app_result: dict, cli_result: dict) -> None:
    """Equal but for ``file`` (the app scores its copy of the upload)."""
    assert osp.basename(app_result['file']) == osp.basename(
        cli_result['file'])
    assert {k: v for k, v in app_result.items() if k != 'file'} == {
        k: v for k, v in cli_result.items() if k != 'file'
    }


def _chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    binary, driver = shutil.which('chromium'), shutil.which('chromedriver')
    assert binary and driver, (
        'the browser test needs Debian chromium and chromium-driver '
        '(tools/setup_env.sh installs them when run as root)')
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage',
                '--window-size=1280,1300'):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.mark.slow
def test_in_a_real_browser(app_url, media, cli_json, tmp_path):
    """Upload a text file, the astronaut and the carphone clip: an error
    message, then the verdicts, overlays, frame plot and video."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser = _chrome()
    try:
        browser.get(app_url)
        wait = WebDriverWait(browser, 180, poll_frequency=0.5)
        wait.until(lambda b: b.find_elements(
            By.CSS_SELECTOR, '#media-file input[type=file]'))

        def verdict():
            return browser.find_element(By.ID, 'verdict').text

        def click(element):
            # a JS click: gradio's floating labels may cover the element
            browser.execute_script('arguments[0].click();', element)

        def score(name):
            clear = browser.find_elements(
                By.CSS_SELECTOR, '#media-file button[aria-label="Clear"]')
            if clear:
                click(clear[0])
            upload = wait.until(lambda b: b.find_elements(
                By.CSS_SELECTOR, '#media-file input[type=file]'))
            upload[0].send_keys(media[name])
            # uploaded: the component shows the file (stem and extension
            # on separate lines)
            stem = osp.splitext(osp.basename(media[name]))[0]
            wait.until(lambda b: stem in b.find_element(By.ID, 'media-file')
                       .text)
            click(browser.find_element(By.ID, 'score-btn'))
            wait.until(lambda b: osp.basename(media[name]) in verdict())
            browser.save_screenshot(str(tmp_path / f'{name}.png'))
            return verdict()

        def count(selector):
            return len(browser.find_elements(By.CSS_SELECTOR, selector))

        text = score('notes.txt')
        assert text.startswith('Error (notes.txt)'), text
        assert 'not an image or a video' in text

        text = score('astronaut_small.png')
        want = cli_json['astronaut_small.png']
        assert text.startswith(f'P(fake) = {want["score"]:.4f} → '
                               f'{want["label"]}'), text
        assert f'threshold {want["threshold"]:g}' in text
        assert count('#overlays img') == len(want['frames'][0]['faces'])
        assert count('#frame-plot img') == 1

        text = score('carphone.mp4')
        want = cli_json['carphone.mp4']
        assert text.startswith(f'P(fake) = {want["score"]:.4f}'), text
        assert f'{NUM_FRAMES} frame(s)' in text
        faces = sum(len(f['faces']) for f in want['frames'])
        wait.until(lambda b: count('#overlays img') == faces)
        assert count('#frame-plot img') == 1
        assert count('#annotated video') == 1
        links = browser.find_elements(By.CSS_SELECTOR, '#result-json a')
        assert [a.get_attribute('href').rsplit('/', 1)[-1]
                for a in links] == ['carphone_pristine.json']
    finally:
        browser.save_screenshot(str(tmp_path / 'last.png'))
        browser.quit()
    assert (tmp_path / 'carphone.mp4.png').stat().st_size > 10000


@pytest.mark.slow
def test_api_with_concurrent_requests_and_bad_inputs(app_url, media,
                                                     cli_json):
    """Four requests at once all equal the CLI's JSON; every bad input
    gets a message, and the app serves the next request."""
    from gradio_client import Client, handle_file
    client = Client(app_url, verbose=False)

    def call(name):
        return client.predict(
            handle_file(media[name]), None, 'cfg', api_name='/score')

    names = ['carphone.mp4', 'astronaut_small.png', 't1.jpg', 'carphone.mp4']
    with ThreadPoolExecutor(4) as pool:
        outputs = list(pool.map(call, names))
    for name, (verdict, plot, gallery, video, json_file) in zip(
            names, outputs):
        with open(json_file) as f:
            result = json.load(f)
        _same_as_cli(result, cli_json[name])
        assert verdict.startswith(f'**P(fake) = {result["score"]:.4f}')
        faces = sum(len(fr['faces']) for fr in result['frames'])
        assert len(gallery) == faces
        assert plot is not None
        assert (video is not None) == (result['type'] == 'video')

    bad = {
        'notes.txt': 'not an image or a video',
        'empty.mp4': 'empty.mp4',
        'broken.mp4': 'broken.mp4',
        'huge.png': 'image too large (2000x2001',
        'blank.png': 'no face found in the image',
    }
    for name, message in bad.items():
        verdict, plot, gallery, video, json_file = call(name)
        assert message in verdict, verdict
        assert plot is None and not gallery and video is None
        with open(json_file) as f:
            result = json.load(f)
        assert result['score'] is None
        assert call('astronaut_small.png')[0].startswith('**P(fake) = ')
