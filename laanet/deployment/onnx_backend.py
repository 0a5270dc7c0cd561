# Copyright (c) laanet contributors. All rights reserved.
"""Run an exported detector (:mod:`laanet.apis.deploy_model`) in
onnxruntime, behind the detector interface that inference calls."""
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np
import torch
from mmengine.config import Config
from mmengine.model import ImgDataPreprocessor

from laanet.structures import DeepfakeDataSample
from .deploy_model import INPUT_NAME

#: Output names of graphs exported before laanet 0.2 → today's names.
LEGACY_OUTPUT_NAMES = {'hm': 'heatmap'}


class OnnxBackend:
    """An ONNX graph standing in for a detector in
    :class:`~laanet.apis.DeepfakeInferencer` (``backend='onnxruntime'``).

    It offers what inference calls on a detector: ``data_preprocessor``
    (stacks the pipeline's uint8 BGR crops into a float batch, *without*
    normalising: the graph does it), ``predict(inputs, data_samples,
    test_cfg)``, ``test_cfg`` and ``heatmap_head``. Predictions are the
    PyTorch path's: the graph's flip-averaged logits go through the
    config's ``cls_head.predict_by_feat`` (``pred_logit``, ``pred_score``),
    each other output ``x`` (``heatmap``) through ``x_head.predict_by_feat``
    (``pred_fields.heatmap``) when ``test_cfg`` asks for it (the head's
    ``predict_flag``). The heads are built from the config by the
    detector's naming rule (output ``x`` ↔ ``model.x_head``; a few small
    layers, never run); the network's weights are the graph's.

    A graph exported with a fixed batch size is fed in chunks of that
    size, the last chunk padded with copies of its last crop.

    Args:
        onnx_file (str): The graph (``tools/deployment/pytorch2onnx.py``).
        cfg (Config): The model's config (the one it was exported from).
        device (str): ``'cpu'``, or ``'cuda...'`` for onnxruntime's CUDA
            provider (CPU is the fallback). Defaults to ``'cpu'``.
        num_threads (int, optional): onnxruntime's intra-op threads.
            Defaults to onnxruntime's choice.

    Raises:
        FileNotFoundError: If the file does not exist.
        ImportError: Without onnxruntime.
        ValueError: If the file is not a laanet graph (no metadata).
    """

    def __init__(self,
                 onnx_file: str,
                 cfg: Config,
                 device: str = 'cpu',
                 num_threads: Optional[int] = None) -> None:
        if not osp.isfile(onnx_file):
            raise FileNotFoundError(f'ONNX file {onnx_file} does not exist')
        try:
            import onnxruntime as ort
        except ImportError as err:
            raise ImportError(
                'backend onnxruntime needs onnxruntime: pip install '
                'onnxruntime (or laanet[tests])') from err
        from laanet.registry import MODELS
        options = ort.SessionOptions()
        if num_threads is not None:
            options.intra_op_num_threads = num_threads
        providers = ['CPUExecutionProvider']
        if str(device).startswith('cuda'):
            providers.insert(0, 'CUDAExecutionProvider')
        self.session = ort.InferenceSession(
            onnx_file, options, providers=providers)
        meta = self.session.get_modelmeta().custom_metadata_map
        if 'flip_test' not in meta or 'outputs' not in meta:
            raise ValueError(
                f'{onnx_file}: not a laanet graph (no flip_test/outputs '
                'metadata); export it with tools/deployment/pytorch2onnx.py')
        self.onnx_file = onnx_file
        self.output_names = [
            LEGACY_OUTPUT_NAMES.get(name, name)
            for name in meta['outputs'].split(',')
        ]
        self.test_cfg = dict(flip_test=meta['flip_test'] == '1')
        #: The sample layout the graph takes (graphs from before 0.3:
        #: ``'image'``), read by inference like a detector's.
        self.layout = meta.get('layout', 'image')
        batch = self.session.get_inputs()[0].shape[0]
        self.fixed_batch = batch if isinstance(batch, int) else None
        self.data_preprocessor = ImgDataPreprocessor()
        self.cls_head = MODELS.build(cfg.model.cls_head)
        #: The heads of the graph's other outputs, by output name.
        self.heads = {
            name: MODELS.build(cfg.model[f'{name}_head'])
            for name in self.output_names if name not in ('score', 'logit')
        }
        self.heatmap_head = self.heads.get('heatmap')

    def run(self, image: np.ndarray) -> dict:
        """Run the graph on a batch.

        Args:
            image (np.ndarray): Float32 (N, 3, H, W), BGR, 0-255 ((N, 3,
                T, H, W) for a clip graph).

        Returns:
            dict[str, np.ndarray]: The graph's outputs by name.
        """
        n, step = len(image), self.fixed_batch or len(image)
        chunks = []
        for start in range(0, n, step):
            part = image[start:start + step]
            if len(part) < step:
                pad = np.repeat(part[-1:], step - len(part), axis=0)
                part = np.concatenate([part, pad])
            chunks.append(self.session.run(None, {INPUT_NAME: part}))
        return {
            name: np.concatenate([c[i] for c in chunks])[:n]
            for i, name in enumerate(self.output_names)
        }

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[Sequence[DeepfakeDataSample]] = None,
                test_cfg: Optional[dict] = None) -> List[DeepfakeDataSample]:
        """Predict like the detector's ``predict``.

        Args:
            inputs (torch.Tensor): (N, 3, H, W) (clips: (N, 3, T, H, W))
                from :attr:`data_preprocessor`.
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones when None.
            test_cfg (dict, optional): ``output_heatmaps``; its
                ``flip_test`` must be the graph's. Defaults to
                :attr:`test_cfg`.

        Returns:
            list[DeepfakeDataSample]: The filled samples.

        Raises:
            ValueError: If ``test_cfg`` asks for another flip setting than
                the graph was exported with.
        """
        test_cfg = self.test_cfg if test_cfg is None else test_cfg
        flip = bool(test_cfg.get('flip_test', False))
        if flip != self.test_cfg['flip_test']:
            raise ValueError(
                f'{self.onnx_file} was exported with flip_test='
                f'{self.test_cfg["flip_test"]}; test_cfg asks for {flip} '
                '(re-export with that setting)')
        out = self.run(inputs.detach().float().cpu().numpy())
        samples = self.cls_head.predict_by_feat(
            torch.from_numpy(out['logit']), data_samples)
        for name, head in self.heads.items():
            if head.predict_flag is None or test_cfg.get(head.predict_flag):
                samples = head.predict_by_feat(
                    torch.from_numpy(out[name]), samples)
        return samples
