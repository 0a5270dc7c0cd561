# Copyright (c) laanet contributors. All rights reserved.
"""The ONNX graph stays raw; the onnxruntime backend gets the same
calibrated verdict as PyTorch, checked against the weights hash the graph
records (slow: dlib and an export)."""
import cv2
import pytest

from laanet.apis import DeepfakeInferencer, init_model
from laanet.deployment import export_onnx
from laanet.evaluation.calibration import CalibrationError, weights_sha256
from laanet.testing import handmade_calibration
from laanet.utils.demo_media import astronaut_bgr

pytestmark = pytest.mark.slow


def test_onnx_backend_applies_the_same_calibration(inference_files,
                                                   tmp_path):
    cfg_file, ckpt = inference_files
    cal = str(tmp_path / 'cal.json')
    handmade_calibration(cfg_file, ckpt).save(cal)
    model = init_model(cfg_file, ckpt)
    graph = str(tmp_path / 'm.onnx')
    export_onnx(model, graph, (64, 64), dynamic_batch=True,
                metadata=dict(weights_sha256=weights_sha256(ckpt)))
    assert weights_sha256(graph) == weights_sha256(ckpt)
    image = str(tmp_path / 'face.png')
    cv2.imwrite(image, astronaut_bgr()[:260, 80:340])
    results = {}
    for backend, weights in (('pytorch', ckpt), ('onnxruntime', graph)):
        inf = DeepfakeInferencer(cfg_file, weights=weights, device='cpu',
                                 show_progress=False, backend=backend,
                                 calibration=cal,
                                 operating_point='fpr@0.05')
        (results[backend], ) = inf(image)['predictions']
    torch_r, onnx_r = results['pytorch'], results['onnxruntime']
    assert onnx_r['calibration']['calibrated']
    assert onnx_r['calibration']['operating_point'] == 'fpr@0.05'
    assert onnx_r['score'] == pytest.approx(torch_r['score'], abs=1e-4)
    assert onnx_r['label'] == torch_r['label']
    assert onnx_r['threshold'] == torch_r['threshold']
    # the graph is raw: its own score is the uncalibrated one
    assert onnx_r['calibration']['raw_score'] == pytest.approx(
        torch_r['calibration']['raw_score'], abs=1e-4)
    assert onnx_r['score'] != pytest.approx(
        onnx_r['calibration']['raw_score'], abs=1e-3)

    # a graph that does not say which weights it holds is refused
    bare = str(tmp_path / 'bare.onnx')
    export_onnx(model, bare, (64, 64))
    with pytest.raises(CalibrationError, match='checkpoint weights hash '
                       'None'):
        DeepfakeInferencer(cfg_file, weights=bare, device='cpu',
                           show_progress=False, backend='onnxruntime',
                           calibration=cal)
