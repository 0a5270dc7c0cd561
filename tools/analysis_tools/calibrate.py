# Copyright (c) laanet contributors. All rights reserved.
"""Fit a calibration of a checkpoint on a labelled (validation) set.

Example::

    # the config's validation set; thresholds for FPR 1 % and 5 % on reals
    python tools/analysis_tools/calibrate.py CONFIG CHECKPOINT \\
        --out work_dirs/calib/calibration.json
    # its test set, the EER point and FPR 10 %, from an earlier
    # tools/test.py --out scores.json (no model run)
    python tools/analysis_tools/calibrate.py CONFIG CHECKPOINT \\
        --split test --scores scores.json --target-fpr 0.1 \\
        --out calibration.json

The set is tested as ``tools/test.py`` tests it (its per-frame and
per-video logits, ``WORK_DIR/scores.json``). Per level (frame, video):
temperature scaling (netcal's ``TemperatureScaling``, one scalar on the
logits, by NLL) and the operating points (the EER threshold, one threshold
per ``--target-fpr``). Writes the calibration file (JSON:
:class:`~laanet.evaluation.calibration.Calibration`, with the set, its
size, the date, the config and the checkpoint's weights hash) and a
reliability diagram before / after (``<out>_reliability.png``);
``--embed`` also writes a copy of the checkpoint carrying it in
``meta['calibration']``, which the inferencer, the demos and the web app
find without ``--calibration``.
"""
import argparse
import os.path as osp
import sys
from typing import List, Optional

import torch
from mmengine.config import Config, DictAction

from laanet.engine import apply_test_options, apply_tta, build_runner
from laanet.evaluation.calibration import (DEFAULT_TARGET_FPRS,
                                           CalibrationError, fit_calibration,
                                           level_logits, model_config_sha256,
                                           read_scores_json, weights_sha256)
from laanet.evaluation.functional import sigmoid
from laanet.evaluation.reports import resolve_test_ann_file
from laanet.utils.cli_args import add_tta_arguments
from laanet.visualization import plot_reliability


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='Fit temperature scaling and choose operating points of '
        'a checkpoint on a labelled set.')
    p.add_argument('config', help='model config with the set to fit on')
    p.add_argument('checkpoint', help='checkpoint (laanet or official)')
    p.add_argument('--split', choices=('val', 'test'), default='val',
                   help="the config's val_dataloader (default) or "
                   'test_dataloader')
    p.add_argument('--out', help='calibration file to write (default: '
                   'WORK_DIR/calibration.json)')
    p.add_argument('--work-dir', help='where the scores and logs go '
                   '(default: work_dirs/calibrate/<config name>)')
    p.add_argument('--scores', help='reuse this scores.json of tools/test.py '
                   '--out (made on the same split) instead of testing')
    p.add_argument('--target-fpr', type=float, nargs='+',
                   default=list(DEFAULT_TARGET_FPRS),
                   help='false-positive rates on reals to choose '
                   'thresholds for (default: 0.01 0.05)')
    p.add_argument('--default-point', default='eer',
                   help="operating point used when a consumer names none: "
                   "'eer' (default) or 'fpr@<rate>', e.g. fpr@0.05")
    p.add_argument('--name', help='name of the set in the file (default: '
                   '<config name>:<split>)')
    p.add_argument('--embed', metavar='CKPT_OUT',
                   help='also write a copy of the checkpoint with the '
                   "calibration in meta['calibration']")
    add_tta_arguments(p)
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override config settings')
    return p.parse_args(argv)


def _stem(path: str) -> str:
    return osp.splitext(osp.basename(path))[0]


def prepare_config(args: argparse.Namespace) -> Config:
    """The config whose test loop runs the chosen split.

    Raises:
        CalibrationError: If the config has no loader / DeepfakeMetric for
            the split.
    """
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if args.split == 'val':
        if not cfg.get('val_dataloader') or not cfg.get('val_evaluator'):
            raise CalibrationError(
                f'{args.config} has no val_dataloader / val_evaluator; use '
                '--split test, or a config with a validation set')
        cfg.test_dataloader = cfg.val_dataloader
        cfg.test_evaluator = cfg.val_evaluator
        cfg.test_cfg = cfg.get('val_cfg') or dict(type='TestLoop')
        if cfg.test_cfg.get('type') == 'ValLoop':
            cfg.test_cfg['type'] = 'TestLoop'
    return cfg


def run_split(args: argparse.Namespace, cfg: Config, work_dir: str) -> str:
    """Test the checkpoint on the split; the scores file written."""
    scores = osp.join(work_dir, 'scores.json')
    apply_test_options(cfg, args.config, args.checkpoint, work_dir=work_dir,
                       out=scores, tta=args.tta)
    build_runner(cfg).test()
    return scores


def embed(calibration_dict: dict, checkpoint: str, out: str) -> None:
    """Copy ``checkpoint`` to ``out`` with ``meta['calibration']``."""
    from laanet.engine.checkpoint import enable_mmengine_checkpoints
    enable_mmengine_checkpoints()
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=True)
    if not isinstance(ckpt, dict) or 'state_dict' not in ckpt:
        ckpt = dict(state_dict=ckpt)
    meta = dict(ckpt.get('meta') or {})
    meta['calibration'] = calibration_dict
    ckpt['meta'] = meta
    torch.save(ckpt, out)


def main(argv: Optional[List[str]] = None) -> int:
    """Fit, write the file and the diagram, print the summary."""
    args = parse_args(argv)
    work_dir = args.work_dir or osp.join('work_dirs', 'calibrate',
                                         _stem(args.config))
    out = args.out or osp.join(work_dir, 'calibration.json')
    try:
        cfg = prepare_config(args)
        ann_file = resolve_test_ann_file(cfg)
        apply_tta(cfg, args.tta)
        model = dict(
            config=args.config,
            model_sha256=model_config_sha256(cfg),
            checkpoint=args.checkpoint,
            weights_sha256=weights_sha256(args.checkpoint))
        scores = args.scores or run_split(args, cfg, work_dir)
        payload = read_scores_json(scores)
        data = level_logits(payload)
        calibration = fit_calibration(
            data['frame']['logits'], data['frame']['labels'],
            data['video']['logits'], data['video']['labels'],
            model=model,
            fitted_on=dict(
                name=args.name or f'{_stem(args.config)}:{args.split}',
                config=args.config,
                split=args.split,
                ann_file=ann_file,
                scores=scores,
                video_score=payload.get('video_score', 'logit_mean')),
            target_fprs=args.target_fpr,
            default_operating_point=args.default_point)
    except (CalibrationError, FileNotFoundError, ValueError) as err:
        print(f'error: {err}', file=sys.stderr)
        return 2
    calibration.save(out)
    diagram = osp.splitext(out)[0] + '_reliability.png'
    plot_reliability(
        {
            level: dict(
                before=dict(scores=sigmoid(d['logits']), labels=d['labels']),
                after=dict(scores=calibration.probability(d['logits'], level),
                           labels=d['labels']))
            for level, d in data.items()
        },
        diagram,
        title=f'reliability on {calibration.fitted_on["name"]}')
    print(f'calibration written to {out} (reliability diagram: {diagram})')
    for level in ('frame', 'video'):
        entry = calibration.levels[level]
        s = entry['stats']
        print(f'{level}: {s["samples"]} samples ({s["real"]} real), '
              f'T = {entry["temperature"]:.4f}; NLL {s["nll_before"]:.4f} '
              f'-> {s["nll_after"]:.4f}, ECE {100 * s["ece_before"]:.2f} % '
              f'-> {100 * s["ece_after"]:.2f} %')
        for name, p in entry['operating_points'].items():
            print(f'  {name}: P(fake) >= {p["probability"]:.4f} (logit '
                  f'{p["logit"]:.4f}): FPR {100 * p["fpr"]:.2f} %, TPR '
                  f'{100 * p["tpr"]:.2f} %')
    if args.embed:
        embed(calibration.to_dict(), args.checkpoint, args.embed)
        print(f'checkpoint with the calibration in its meta: {args.embed}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
