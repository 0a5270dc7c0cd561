# Copyright (c) laanet contributors. All rights reserved.
"""tools/analysis_tools/benchmark_dataset_reading.py on a tiny toy tree."""
import json

import pytest

from laanet.testing import load_tool

# slow: writes a toy tree (dlib, SBI fakes) and reads it three ways
pytestmark = pytest.mark.slow


def test_reads_the_same_frames_with_every_reader(tmp_path):
    tool = load_tool('tools/analysis_tools/benchmark_dataset_reading.py')
    out = tmp_path / 'reading.json'
    result = tool.main([
        '--num-videos', '1', '--num-frames', '2', '--rounds', '1',
        '--workers', '0', '--with-landmarks', '--out',
        str(out)
    ])
    readers = {'deepfakebench_folders', 'deepfakebench_lmdb', 'laanet_own'}
    assert set(result['frames_per_s']) == readers
    # 3 label keys x 1 video x 2 frames, the same frames for each reader
    assert result['frames'] == {key: 6 for key in readers}
    assert all(v > 0 for v in result['frames_per_s'].values())
    assert json.loads(out.read_text())['rounds'] == 1
