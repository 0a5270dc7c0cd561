# Copyright (c) laanet contributors. All rights reserved.
"""Command-line options shared by the tools, the demos and the web app."""
import argparse


def add_tta_arguments(parser: argparse.ArgumentParser) -> None:
    """``--tta`` / ``--no-tta`` into ``args.tta`` (None: the config's).

    Args:
        parser (argparse.ArgumentParser): The parser.
    """
    tta = parser.add_mutually_exclusive_group()
    tta.add_argument('--tta', dest='tta', action='store_const', const=True,
                     help='flip testing (model.test_cfg.flip_test=True)')
    tta.add_argument('--no-tta', dest='tta', action='store_const',
                     const=False, help='no flip testing')


def add_metric_protocol_arguments(parser: argparse.ArgumentParser,
                                  multiple: bool = False) -> None:
    """``--metric-protocol`` and ``--video-grouping`` into
    ``args.metric_protocol`` and ``args.video_grouping`` (None: the
    config's / the protocol's): the protocol of
    :class:`~laanet.evaluation.DeepfakeMetric`.

    Args:
        parser (argparse.ArgumentParser): The parser.
        multiple (bool): Take several protocols (``--metric-protocols``,
            a list in ``args.metric_protocols``). Defaults to False.
    """
    choices = ('official', 'deepfakebench')
    text = ('official: LAA-Net\'s (video = sigmoid of the mean logit per '
            'video id, interpolated EER, ACC at p >= 0.5); deepfakebench: '
            'DeepfakeBench\'s get_test_metrics (video = mean probability '
            'per video folder name, EER at the nearest ROC point, ACC at '
            'p > 0.5)')
    if multiple:
        parser.add_argument('--metric-protocols', nargs='+',
                            choices=choices, default=['official'],
                            help=f'report under each of these protocols '
                            f'(default: official). {text}')
    else:
        parser.add_argument('--metric-protocol', choices=choices,
                            help=f'the metric protocol (default: the '
                            f'config\'s, official). {text}')
    parser.add_argument('--video-grouping',
                        choices=('dfb_basename', 'full_id'),
                        help='deepfakebench protocol: group frames into '
                        'videos by folder name (dfb_basename, '
                        'DeepfakeBench\'s, the default) or by full video '
                        'id (full_id, the corrected grouping)')


def add_speed_arguments(parser: argparse.ArgumentParser) -> None:
    """``--compile`` into ``args.compile`` (the tools and demos).

    Args:
        parser (argparse.ArgumentParser): The parser.
    """
    parser.add_argument(
        '--compile',
        action='store_true',
        help='torch.compile the model\'s parts (backbone, neck, heads); '
        'the first iterations compile, see '
        'docs/en/advanced_guides/benchmarks.md for when it pays')


def add_inference_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a ``DeepfakeInferencer`` shared by the demos and the
    web app: ``--device``, ``--backend``, ``--num-frames``,
    ``--batch-size``, ``--max-pixels``, ``--cam``, ``--cam-layer``,
    ``--calibration``, ``--operating-point`` and ``--amp`` (see
    :func:`inferencer_kwargs`).

    Args:
        parser (argparse.ArgumentParser): The parser.
    """
    parser.add_argument(
        '--device', default='cpu', help='cpu, cuda or cuda:N (default: cpu)')
    parser.add_argument(
        '--backend',
        choices=('pytorch', 'onnxruntime'),
        default='pytorch',
        help='onnxruntime runs a graph of tools/deployment/pytorch2onnx.py '
        '(the checkpoint is then the .onnx file; default: pytorch)')
    parser.add_argument(
        '--num-frames',
        type=int,
        default=32,
        help='evenly spaced frames scored per video (default: 32)')
    parser.add_argument(
        '--batch-size', type=int, default=8, help='faces per forward pass')
    parser.add_argument(
        '--max-pixels',
        type=int,
        help='refuse larger images (default: the inferencer\'s, 2**28)')
    parser.add_argument(
        '--cam',
        action='store_true',
        help='also draw a class-activation map (Grad-CAM of P(fake), on '
        'the config\'s cam_cfg layer) per face: <face>_cam.jpg')
    parser.add_argument(
        '--cam-layer',
        metavar='NAME',
        help='the layer the CAM explains (a name of '
        'model.named_modules(); implies --cam)')
    parser.add_argument(
        '--calibration',
        help='calibration file of tools/analysis_tools/calibrate.py: '
        'calibrated P(fake) and the threshold of its operating point '
        "(default: the checkpoint's meta['calibration'] if any, else the "
        "config's uncalibrated threshold)")
    parser.add_argument(
        '--operating-point',
        help="the calibration's operating point: eer, fpr@0.01, fpr@0.05... "
        "(default: the calibration's default)")
    parser.add_argument(
        '--amp',
        action='store_true',
        help='run the network in mixed precision (bfloat16 on a CPU): '
        'much faster for FakeSTormer on CPUs with AMX; scores differ from '
        'float32 in about the third decimal (pytorch backend)')


def inferencer_kwargs(args: argparse.Namespace) -> dict:
    """The ``DeepfakeInferencer`` keyword arguments of
    :func:`add_inference_arguments`' options.

    Args:
        args (argparse.Namespace): Parsed arguments.

    Returns:
        dict: ``device``, ``backend``, ``num_frames``, ``batch_size``,
        ``calibration``, ``operating_point``, ``amp`` and, when given,
        ``max_pixels`` and ``cam``.
    """
    kwargs = dict(
        device=args.device,
        backend=args.backend,
        num_frames=args.num_frames,
        batch_size=args.batch_size,
        calibration=args.calibration,
        operating_point=args.operating_point,
        amp=args.amp)
    if args.max_pixels is not None:
        kwargs['max_pixels'] = args.max_pixels
    if args.cam_layer:
        kwargs['cam'] = dict(target_layer=args.cam_layer)
    elif args.cam:
        kwargs['cam'] = True
    return kwargs


def demo_parser(kind: str) -> argparse.ArgumentParser:
    """The command line of ``demo/image_demo.py`` and
    ``demo/video_demo.py``.

    Args:
        kind (str): ``'image'`` or ``'video'``: the word the description
            and the ``input`` help use.

    Returns:
        argparse.ArgumentParser: The parser.
    """
    parser = argparse.ArgumentParser(
        description=f'Deepfake detection on a {kind} or a folder of images '
        'and videos: P(fake) per face, frame and file.')
    parser.add_argument('input', help=f'{kind} file or folder')
    parser.add_argument('config', help='model config file')
    parser.add_argument(
        '--checkpoint',
        help='checkpoint (laanet or official); without one the model is '
        'randomly initialised and its scores mean nothing')
    parser.add_argument(
        '--out-dir',
        default='outputs/',
        help='where to write <name>.json, overlays and summary.csv '
        '(default: outputs/)')
    add_inference_arguments(parser)
    parser.add_argument(
        '--no-heatmaps',
        action='store_true',
        help='do not write the heatmap overlays')
    parser.add_argument(
        '--save-video',
        action='store_true',
        help='write <name>_annotated.mp4 (sampled frames with boxes and '
        'probabilities) for videos')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bars')
    parser.add_argument(
        '--profile',
        action='store_true',
        help='print the seconds spent decoding, detecting, cropping and '
        'in the model (the first three run ahead of the model)')
    parser.add_argument(
        '--sequential',
        action='store_true',
        help='decode, detect and score one after the other (no '
        'background decoding and detection)')
    add_speed_arguments(parser)
    return parser
