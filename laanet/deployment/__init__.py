# Copyright (c) laanet contributors. All rights reserved.
"""Deployment: the exported graph's contract (:class:`DeployModel`,
:func:`export_onnx`) and the onnxruntime stand-in for a detector
(:class:`OnnxBackend`). Inference (:mod:`laanet.apis`) uses the backend;
nothing here imports :mod:`laanet.apis`."""
from .deploy_model import DeployModel, export_onnx
from .onnx_backend import OnnxBackend

__all__ = ['DeployModel', 'export_onnx', 'OnnxBackend']
