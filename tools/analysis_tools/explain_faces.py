# Copyright (c) laanet contributors. All rights reserved.
"""Explain the P(fake) of faces: one PNG, a row per face, with the face,
its artifact heatmap (LAA-Net) and its class-activation map (any method).

Examples::

    python tools/analysis_tools/explain_faces.py configs/sbi/sbi_efn4.py \\
        face1.jpg face2.png --checkpoint sbi_efn4.pth --out explain.png
    # another layer or method than the config's cam_cfg, with flip TTA
    python tools/analysis_tools/explain_faces.py configs/laanet/efn4_sbi.py \\
        face.jpg --checkpoint laanet_efn4_sbi.pth --method GradCAMpp \\
        --cam-layer backbone.bn2 --tta

Faces are found and cropped as the demos do (:class:`DeepfakeInferencer`
with ``cam``); the maps are :class:`~laanet.apis.cam_explainer.CAMExplainer`
's, the figure :func:`~laanet.visualization.cam_plots.plot_explanations`.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional, Sequence

import cv2

from laanet.apis import DeepfakeInferencer
from laanet.apis.cam_explainer import CAM_METHODS, face_cam
from laanet.apis.inference import load_config
from laanet.apis.writers import face_heatmap, face_input
from laanet.engine import apply_tta
from laanet.utils.cli_args import add_tta_arguments
from laanet.visualization.cam_plots import plot_explanations


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line (sys.argv when ``argv`` is None)."""
    parser = argparse.ArgumentParser(
        description='Draw the class-activation map of P(fake) of every '
        'face of the inputs (and the heatmap of models that have one).')
    parser.add_argument('config', help='model config file')
    parser.add_argument('inputs', nargs='+', help='images or videos')
    parser.add_argument(
        '--checkpoint',
        help='checkpoint (laanet or official); without one the model is '
        'randomly initialised and its maps mean nothing')
    parser.add_argument(
        '--out', default='explanations.png', help='the PNG figure')
    parser.add_argument(
        '--method', choices=CAM_METHODS,
        help='the CAM method (default: the config\'s cam_cfg, else GradCAM)')
    parser.add_argument(
        '--cam-layer', metavar='NAME',
        help='the layer explained (default: the config\'s cam_cfg)')
    add_tta_arguments(parser)
    parser.add_argument(
        '--num-frames', type=int, default=1,
        help='evenly spaced frames explained per video (default: 1)')
    parser.add_argument(
        '--max-faces', type=int, default=8,
        help='rows of the figure at most (default: 8)')
    parser.add_argument('--title', help='the figure\'s title')
    parser.add_argument('--device', default='cpu', help='cpu or cuda[:N]')
    return parser.parse_args(argv)


def explained_faces(inferencer: DeepfakeInferencer, inputs: Sequence[str],
                    max_faces: int) -> List[dict]:
    """The rows of :func:`plot_explanations` for the faces of the inputs,
    in order, ``max_faces`` at most."""
    explainer = inferencer.explainer
    rows: List[dict] = []
    for path in inputs:
        media = inferencer.preprocess(path)
        faces = inferencer.predict_media(media)['faces']
        for index, frame_faces in zip(media['indices'], faces):
            for k, face in enumerate(frame_faces):
                name = osp.basename(path)
                if media['type'] == 'video':
                    name += f' #{index}'
                if len(frame_faces) > 1:
                    name += f' face {k}'
                rows.append(
                    dict(
                        name=name,
                        face=cv2.cvtColor(face_input(face['sample']),
                                          cv2.COLOR_BGR2RGB),
                        score=face['score'],
                        heatmap=face_heatmap(face['sample']),
                        cam=face_cam(face['sample']),
                        cam_label=f'{explainer.method}, '
                        f'{explainer.target_layer}'))
                if len(rows) == max_faces:
                    return rows
    return rows


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point: 0 when the figure was written, 1 without a face."""
    args = parse_args(argv)
    cfg = load_config(args.config)
    apply_tta(cfg, args.tta)
    cam = {}
    if args.method:
        cam['method'] = args.method
    if args.cam_layer:
        cam['target_layer'] = args.cam_layer
    inferencer = DeepfakeInferencer(
        cfg,
        weights=args.checkpoint,
        device=args.device,
        num_frames=args.num_frames,
        show_progress=False,
        overlap=False,
        cam=cam or True)
    rows = explained_faces(inferencer, args.inputs, args.max_faces)
    if not rows:
        print('error: no face found in the inputs', file=sys.stderr)
        return 1
    plot_explanations(rows, args.out, args.title)
    print(f'{len(rows)} face(s) explained ({inferencer.explainer.method} on '
          f'{inferencer.explainer.target_layer}): {args.out}')
    if not args.checkpoint:
        print('note: no --checkpoint given, the maps come from a randomly '
              'initialised model')
    return 0


if __name__ == '__main__':
    sys.exit(main())
