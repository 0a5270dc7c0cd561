# Copyright (c) laanet contributors. All rights reserved.
"""The GPU check's CPU dry run: every step runs and the table is built (a
smoke test: its numbers mean nothing on a CPU and are not checked)."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest

# slow: B4 and official-reference iterations, a demo dataset, a torchrun
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_dry_run_writes_the_table_and_json(tmp_path):
    pytest.importorskip('efficientnet_pytorch')
    env = dict(os.environ, PYTHON=sys.executable, PORT='29571')
    proc = subprocess.run(
        ['bash', 'tools/analysis_tools/gpu_check.sh', '--dry-run',
         str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    table = (tmp_path / 'gpu_check.md').read_text()
    assert 'SAM iteration, fp16' in table and 'inference, bf16' in table
    assert 'official-equivalent training pass, float64' in table
    assert 'DDP smoke run' in table and 'SBI DataLoader, 1 workers' in table
    data = json.loads((tmp_path / 'gpu_check.json').read_text())
    assert data['sam_fp16']['amp_dtype'] == 'float16'
    assert data['train_bf16']['channels_last'] is True
    assert data['ddp']['ok'] is True
    # FakeSTormer rows run without the official code (no FST_HARNESS)
    assert 'FakeSTormer SAM iteration, bf16' in table
    assert data['fakestormer_forward_fp32']['img_size'] == 64
    assert 'official comparison is skipped' in proc.stdout
