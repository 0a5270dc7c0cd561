# Copyright (c) laanet contributors. All rights reserved.
"""Test a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [options]``."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.dist import get_rank

from laanet.engine import apply_test_options, build_runner, \
    cleanup_distributed
from laanet.models.detectors.fakestormer_ckpt_convert import \
    released_checkpoint_note
from laanet.utils.cli_args import (add_metric_protocol_arguments,
                                   add_speed_arguments)
from laanet.utils.media import atomic_dump_json


def parse_args() -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a laanet checkpoint.')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='the dir to save logs and metrics (default: '
        './work_dirs/<config name>)')
    parser.add_argument(
        '--out',
        help='write per-frame and per-video scores to this .json or .csv '
        'file')
    parser.add_argument(
        '--plots',
        action='store_true',
        help='also draw ROC curves and real-vs-fake score histograms '
        '(roc.png, score_hist.png in the log dir; implies --out, by '
        'default <work_dir>/scores.json)')
    add_metric_protocol_arguments(parser)
    parser.add_argument(
        '--show-dir',
        help='write heatmap overlays to <work_dir>/<timestamp>/SHOW_DIR')
    parser.add_argument(
        '--show', action='store_true', help='display the overlays')
    parser.add_argument(
        '--interval',
        type=int,
        default=1,
        help='draw every INTERVAL-th sample with --show-dir/--show')
    parser.add_argument(
        '--calibration',
        help='also apply this calibration (tools/analysis_tools/'
        'calibrate.py) to the scores: calibrated_scores.json in the log '
        'dir (calibrated P(fake) and verdict per frame and video, FPR / '
        'TPR at its operating point; implies --out, by default '
        '<work_dir>/scores.json)')
    parser.add_argument(
        '--operating-point',
        help="the calibration's operating point (default: its default)")
    parser.add_argument(
        '--amp',
        action='store_true',
        help='test in mixed precision (MMEngine TestLoop fp16: bfloat16 on '
        'a CPU, float16 on CUDA); scores differ from float32 slightly')
    tta = parser.add_mutually_exclusive_group()
    tta.add_argument(
        '--tta',
        dest='tta',
        action='store_const',
        const=True,
        help='flip testing: average the logits of each face and its '
        'horizontal flip (model.test_cfg.flip_test=True)')
    tta.add_argument(
        '--no-tta',
        dest='tta',
        action='store_const',
        const=False,
        help='no flip testing (model.test_cfg.flip_test=False)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. '
        'test_dataloader.dataset.ann_file=...')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='job launcher (tools/dist_test.sh uses pytorch)')
    add_speed_arguments(parser)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main() -> None:
    """Build the runner, test the checkpoint, write the metrics."""
    args = parse_args()
    cfg = Config.fromfile(args.config)
    note = released_checkpoint_note(args.checkpoint, args.config)
    if note is not None:
        print(note)
    if (args.plots or args.calibration) and args.out is None:
        args.out = osp.join(
            args.work_dir or cfg.get('work_dir') or osp.join(
                './work_dirs',
                osp.splitext(osp.basename(args.config))[0]), 'scores.json')
    apply_test_options(
        cfg,
        args.config,
        args.checkpoint,
        work_dir=args.work_dir,
        out=args.out,
        show_dir=args.show_dir,
        show=args.show,
        interval=args.interval,
        tta=args.tta,
        launcher=args.launcher,
        cfg_options=args.cfg_options,
        compile=args.compile,
        amp=args.amp,
        metric_protocol=args.metric_protocol,
        video_grouping=args.video_grouping)
    calibration = None
    if args.calibration:
        from laanet.evaluation.calibration import calibration_for_model
        calibration = calibration_for_model(args.calibration, cfg,
                                            args.checkpoint)
    try:
        runner = build_runner(cfg)
        metrics = runner.test()
        if get_rank() == 0:
            path = osp.join(runner.log_dir, 'test_metrics.json')
            atomic_dump_json(
                dict(checkpoint=args.checkpoint, metrics=metrics),
                path,
                indent=1)
            runner.logger.info(f'Metrics written to {path}.')
            if args.plots:
                from laanet.visualization import plot_scores_file
                pngs = plot_scores_file(args.out, runner.log_dir,
                                        osp.basename(args.config))
                runner.logger.info(f'Plots written to {", ".join(pngs)}.')
            if calibration is not None:
                from laanet.evaluation.calibration import (
                    summary_lines, write_calibrated_scores)
                path = osp.join(runner.log_dir, 'calibrated_scores.json')
                out = write_calibrated_scores(calibration, args.out, path,
                                              args.operating_point)
                for line in summary_lines(out) + [f'Written to {path}.']:
                    runner.logger.info(line)
    except BaseException:
        cleanup_distributed(wait_for_all=False)
        raise
    cleanup_distributed()


if __name__ == '__main__':
    main()
