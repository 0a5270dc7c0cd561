# Copyright (c) laanet contributors. All rights reserved.
"""A detector as one graph for deployment (ONNX): face crops in, P(fake)
out.

Owns the exported graph's contract, which :class:`~laanet.apis.OnnxBackend`
and ``tools/deployment/pytorch2onnx.py`` read:

- input ``image``: float32 (N, 3, H, W), the face crops *as the test
  pipeline emits them* (BGR, 0-255, letterboxed to the input size); for a
  clip model (data preprocessor ``layout='clip'``, FakeSTormer) (N, 3, T,
  H, W), T consecutive crops of one face per clip. The
  model's own data preprocessor (BGR→RGB, mean/std) runs inside the graph,
  so a caller needs no normalisation constants.
- outputs ``score`` (N,): P(fake) (``cls_head.score_from_logits``);
  ``logit``: the raw ``cls`` logits ((N, 1) for LAA-Net, (N, 2) for a
  softmax head), flip-averaged with flip TTA; then each of
  ``extra_outputs`` the detector has, as its ``predict`` computes it
  (``heatmap`` (N, 1, h, w) for LAA-Net: the sigmoid of the heatmap
  logits, ``pred_fields.heatmap``; a clip model's ``temporal`` (N, T)
  frame logits and ``heatmap`` (N, 1, T, h, w)).
- metadata (``metadata_props``): ``flip_test`` (``'1'``/``'0'``),
  ``input_size`` (``'H,W'``), ``outputs``, ``layout`` (``'image'`` or
  ``'clip'``), ``clip_len`` (clips), the laanet version and, from
  ``tools/deployment/pytorch2onnx.py``, the checkpoint's
  ``weights_sha256`` (the model identity a calibration records).

Only the detector contract is used
(:class:`~laanet.models.detectors.BaseDeepfakeDetector`):
``model.predict_outputs`` (the one implementation of flip TTA, so the graph
flips exactly as ``predict`` does), the outputs' names and
``model.cls_head.score_from_logits``.
"""
import warnings
from typing import Dict, Optional, Sequence

import torch
from mmengine.model import ImgDataPreprocessor
from torch import nn

from laanet.structures import model_layout

#: The graph's input name.
INPUT_NAME = 'image'


class DeployModel(nn.Module):
    """Wrap a detector into one tensor-in, tensors-out module.

    Args:
        model (nn.Module): A laanet detector in eval mode, whose data
            preprocessor is an :class:`mmengine.model.ImgDataPreprocessor`
            (as ``DeepfakeDataPreprocessor``).
        flip_test (bool, optional): Export flip TTA. Defaults to the
            model's ``test_cfg['flip_test']``.
        extra_outputs (Sequence[str]): Detector outputs exported besides
            ``score`` and ``logit``, when the detector has them. Defaults
            to ``('temporal', 'heatmap')``.

    Raises:
        TypeError: If the data preprocessor cannot run inside a graph.
    """

    def __init__(self,
                 model: nn.Module,
                 flip_test: Optional[bool] = None,
                 extra_outputs: Sequence[str] = ('temporal', 'heatmap')
                 ) -> None:
        super().__init__()
        if not isinstance(model.data_preprocessor, ImgDataPreprocessor):
            raise TypeError(
                'DeployModel exports detectors whose data_preprocessor is '
                'an ImgDataPreprocessor (mean/std, channel order); got '
                f'{type(model.data_preprocessor).__name__}')
        self.model = model
        if flip_test is None:
            flip_test = bool((model.test_cfg or {}).get('flip_test', False))
        self.flip_test = flip_test
        names = [name for name, _ in model.heads()]
        self.extra_outputs = [n for n in extra_outputs if n in names]
        #: The sample layout of the input (``'image'`` or ``'clip'``).
        self.layout = model_layout(model)

    def forward(self, image: torch.Tensor) -> Dict[str, torch.Tensor]:
        """P(fake), logits and (LAA-Net) heatmaps of face crops.

        Args:
            image (torch.Tensor): Float (N, 3, H, W), BGR, 0-255; (N, 3,
                T, H, W) for clip models.

        Returns:
            dict[str, torch.Tensor]: ``score``, ``logit`` and the extra
            outputs (see the module docstring).
        """
        x = self.model.data_preprocessor(dict(inputs=image), False)['inputs']
        out = self.model.predict_outputs(x, self.flip_test,
                                         ['cls'] + self.extra_outputs)
        logits = out['cls']
        outputs = dict(
            score=self.model.cls_head.score_from_logits(logits),
            logit=logits)
        outputs.update((name, out[name]) for name in self.extra_outputs)
        return outputs


def export_onnx(model: nn.Module,
                out_file: str,
                input_size: Sequence[int],
                batch_size: int = 1,
                dynamic_batch: bool = False,
                opset: int = 17,
                flip_test: Optional[bool] = None,
                clip_len: Optional[int] = None,
                metadata: Optional[Dict[str, str]] = None) -> dict:
    """Export a detector to ONNX with :class:`DeployModel`.

    Args:
        model (nn.Module): The detector (eval mode, on the CPU).
        out_file (str): The ``.onnx`` file to write.
        input_size (Sequence[int]): (H, W) of the network input.
        batch_size (int): Batch of the example input (the graph's batch
            without ``dynamic_batch``). Defaults to 1.
        dynamic_batch (bool): Make the batch axis dynamic. Defaults to
            False.
        opset (int): ONNX opset. Defaults to 17.
        flip_test (bool, optional): See :class:`DeployModel`.
        clip_len (int, optional): Frames per clip of a clip model (its
            example input is (N, 3, T, H, W)); required for one, refused
            for an image model.
        metadata (dict, optional): More ``metadata_props``, e.g.
            ``weights_sha256`` of the checkpoint (which a calibration is
            checked against; the graph itself stays raw).

    Returns:
        dict: ``outputs`` (names), ``flip_test``, ``input_size``,
        ``dynamic_batch``, ``batch_size``, ``layout`` and ``clip_len``.

    Raises:
        ValueError: If ``clip_len`` does not fit the model's layout.
    """
    import onnx

    from laanet import __version__
    wrapper = DeployModel(model, flip_test).eval()
    h, w = (int(v) for v in input_size)
    if (wrapper.layout == 'clip') != (clip_len is not None):
        raise ValueError(
            f'export_onnx: a model of layout {wrapper.layout!r} takes '
            + ('clip_len (frames per clip)' if wrapper.layout == 'clip' else
               'no clip_len'))
    clip_axis = () if clip_len is None else (int(clip_len), )
    example = torch.zeros(batch_size, 3, *clip_axis, h, w)
    with torch.no_grad():
        names = list(wrapper(example))
    axes = None
    if dynamic_batch:
        axes = {name: {0: 'batch'} for name in [INPUT_NAME] + names}
    with warnings.catch_warnings():
        # shape checks on Python values (padding, FPN sizes) are constants
        # of the fixed input size: expected, and only the batch varies
        warnings.simplefilter('ignore', torch.jit.TracerWarning)
        # the flips are strided slices, which are not constant-folded
        warnings.filterwarnings('ignore', 'Constant folding', UserWarning)
        torch.onnx.export(
            wrapper, (example, ),
            out_file,
            input_names=[INPUT_NAME],
            output_names=names,
            opset_version=opset,
            dynamic_axes=axes,
            do_constant_folding=True,
            dynamo=False)
    graph = onnx.load(out_file)
    info = dict(
        flip_test='1' if wrapper.flip_test else '0',
        input_size=f'{h},{w}',
        outputs=','.join(names),
        layout=wrapper.layout,
        laanet_version=__version__)
    if clip_len is not None:
        info['clip_len'] = str(int(clip_len))
    info.update(metadata or {})
    for key, value in info.items():
        prop = graph.metadata_props.add()
        prop.key, prop.value = key, value
    onnx.checker.check_model(graph)
    onnx.save(graph, out_file)
    return dict(
        outputs=names,
        flip_test=wrapper.flip_test,
        input_size=(h, w),
        dynamic_batch=dynamic_batch,
        batch_size=batch_size,
        layout=wrapper.layout,
        clip_len=clip_len)
