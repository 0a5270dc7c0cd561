# Copyright (c) laanet contributors. All rights reserved.
"""The --demo-face paths of browse_dataset.py and benchmark_pipeline.py."""
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import pytest

# slow: subprocess pipeline tools at 384 px
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = {
    'sbi': osp.join(ROOT, 'configs/_base_/datasets/ffpp-raw_sbi_384px.py'),
    'bi': osp.join(ROOT, 'configs/_base_/datasets/ffpp-raw_bi_384px.py'),
    'sbi_method': osp.join(ROOT, 'configs/sbi/sbi_efn4.py'),
}


def _run(script, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, osp.join(ROOT, script), *args],
                          capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


@pytest.mark.parametrize('variant', ['sbi', 'bi', 'sbi_method'])
def test_browse_dataset_demo_face(tmp_path, variant):
    out_dir = tmp_path / 'grids'
    _run('tools/visualization/browse_dataset.py', CONFIGS[variant],
         '--output-dir', str(out_dir), '--num', '2', '--demo-face')
    files = sorted(os.listdir(out_dir))
    assert files == ['sample_0000.png', 'sample_0001.png']
    grid = cv2.imread(str(out_dir / files[0]))
    if variant == 'sbi_method':
        # SBI's 380-px pair (no heatmap targets): a real and a fake that
        # differ
        assert grid.shape == (380, 6 * 380, 3)
        real, fake = grid[20:, :380].astype(int), grid[20:, 380:760]
        assert abs(real - fake).mean() > 1
        return
    # six 384-px tiles: real | fake | blend mask | boundary | heatmap |
    # consistency
    assert grid.shape == (384, 6 * 384, 3)
    if variant == 'sbi':
        # both images are present; the fake's blend mask M (> 0 on the
        # face) and boundary map B (> 0 on a ring) are drawn: the JET map
        # of 0 is dark blue (128, 0, 0)
        assert grid[:, :384].any() and grid[:, 384:768].any()

        def coloured(tile):
            return (abs(tile[40:].astype(int) - (128, 0, 0)).sum(-1)
                    > 60).mean()

        mask_area = coloured(grid[:, 768:1152])
        boundary_area = coloured(grid[:, 1152:1536])
        assert mask_area > 0.1
        assert 0 < boundary_area < mask_area


@pytest.mark.parametrize('variant', ['sbi', 'bi'])
def test_benchmark_pipeline_demo_face_with_reference(tmp_path, variant):
    out = tmp_path / 'bench.json'
    _run('tools/analysis_tools/benchmark_pipeline.py', CONFIGS[variant],
         '--demo-face', '--num-samples', '4', '--workers', '1',
         '--batch-size', '2', '--reference', 'official', '--out', str(out),
         *(['--demo-size', '317'] if variant == 'bi' else []))
    result = json.loads(out.read_text())
    assert result['ms_per_pair'] > 0 and result['pairs_per_s'] > 0
    assert result['official_ms_per_pair'] > 0
    per_item = 2 if variant == 'sbi' else 1
    assert result['images_per_s'] == pytest.approx(
        per_item * result['pairs_per_s'])
    # BI items are timed by label too (reals and fakes cost very different)
    by_label = [k for k in result if k.startswith(('ms_per_real',
                                                   'ms_per_fake'))]
    assert bool(by_label) == (variant == 'bi')
    assert result['speedup_vs_official'] == pytest.approx(
        result['official_ms_per_pair'] / result['ms_per_pair'])


def test_benchmark_reference_needs_demo_face():
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([
        sys.executable,
        osp.join(ROOT, 'tools/analysis_tools/benchmark_pipeline.py'),
        CONFIGS['sbi'], '--reference', 'official'
    ], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode != 0
    assert '--reference needs --demo-face' in proc.stderr
