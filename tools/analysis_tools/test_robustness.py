# Copyright (c) laanet contributors. All rights reserved.
"""Test a checkpoint clean and under the DF1 perturbations.

Examples::

    # crop protocol: perturb the stored face crops, all 7 kinds x 5 levels
    python tools/analysis_tools/test_robustness.py CONFIG CHECKPOINT \\
        --work-dir work_dirs/robustness
    # frame protocol: test sets made by extract_faces.py --perturb and
    # annotated with extract_landmarks.py, one annotation per setting
    python tools/analysis_tools/test_robustness.py CONFIG CHECKPOINT \\
        --protocol frame --frame-ann 'annotations/test_{kind}{level}.json' \\
        --work-dir work_dirs/robustness_frame

Every finished setting is stored under ``WORK_DIR/settings/`` and never
recomputed when the command runs again (a killed run resumes). Writes
``robustness.json``, ``robustness.csv``, ``robustness.md`` (AUC, TPR at
FPR 1 % and 5 %, ECE and Brier per kind and level),
``robustness.png`` (video AUC against level) and
``robustness_tpr_at_fpr5.png`` (video TPR at FPR 5 %) in ``WORK_DIR``,
under the metric protocol of ``--metric-protocol`` (the config's,
official, by default; ``deepfakebench`` for DeepfakeBench's). See
docs/en/user_guides/robustness.md.
"""
import argparse
import json
import os
import os.path as osp
import time
from typing import List, Optional

from mmengine.config import Config, DictAction
from mmengine.dataset import Compose

from laanet.datasets.perturbations import DF1_KINDS
from laanet.datasets.transforms import DF1Perturbation, ImageDegradation
from laanet.engine import apply_test_options, build_runner
from laanet.evaluation.cached_loading import CachedLoading, split_loading
from laanet.evaluation.reports import (ROBUSTNESS_COLUMNS, check_run_identity,
                                       metric_row, parse_levels,
                                       robustness_markdown,
                                       robustness_settings,
                                       summarize_robustness,
                                       resolve_test_ann_file, write_csv)
from laanet.utils.cli_args import (add_metric_protocol_arguments,
                                   add_tta_arguments)
from laanet.utils.media import atomic_dump_json, atomic_write_text
from laanet.visualization import plot_robustness


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='Test a checkpoint clean and under DF1 perturbations.')
    p.add_argument('config', help='test config file path')
    p.add_argument('checkpoint', help='checkpoint file')
    p.add_argument('--work-dir', required=True,
                   help='where the settings and the reports go')
    p.add_argument('--kinds', nargs='+', default=list(DF1_KINDS),
                   help='DF1 codes (CS CC BW GNC GB JPEG VC, the default) '
                   'and/or common kinds (jpeg_quality blur resize noise)')
    p.add_argument('--levels', default='1-5',
                   help='levels, e.g. 1-5 (default), 3 or 1,3,5')
    p.add_argument('--protocol', choices=['crop', 'frame'], default='crop',
                   help='crop: perturb the stored face crops (fast, '
                   'approximate); frame: read test sets perturbed before '
                   'face detection (the reference protocol)')
    p.add_argument('--frame-ann',
                   help='frame protocol: the annotation file of each '
                   'setting, with {kind} and {level}, relative to the '
                   'dataset\'s data_root like ann_file')
    p.add_argument('--seed', type=int, default=None,
                   help='mixed into the per-image seeds of BW and GNC')
    p.add_argument('--cache-mb', type=int, default=2048,
                   help='crop protocol: keep up to this many MB of decoded '
                   'images in memory across settings (default 2048)')
    add_tta_arguments(p)
    add_metric_protocol_arguments(p)
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override config settings')
    p.add_argument('--no-progress', action='store_true',
                   help='no progress bar')
    args = p.parse_args(argv)
    try:
        args.levels = parse_levels(args.levels)
        args.settings = robustness_settings(args.kinds, args.levels)
    except ValueError as e:
        p.error(str(e))
    if args.protocol == 'frame' and not args.frame_ann:
        p.error('--protocol frame needs --frame-ann (e.g. '
                "'annotations/test_{kind}{level}.json')")
    return args


def _slug(name: str) -> str:
    return name.replace(':', '')


def _perturbation(kind: str, level: int, seed: Optional[int]):
    cls = DF1Perturbation if kind in DF1_KINDS else ImageDegradation
    return cls(kind=kind, level=level, seed=seed)


def _identity(args) -> dict:
    """What a work dir's results depend on (checked on resume; the metric
    options only when given, so older work dirs still resume)."""
    identity = dict(
        config=osp.abspath(args.config),
        checkpoint=osp.abspath(args.checkpoint),
        protocol=args.protocol,
        frame_ann=args.frame_ann,
        seed=args.seed,
        tta=args.tta,
        cfg_options=args.cfg_options)
    for key in ('metric_protocol', 'video_grouping'):
        if getattr(args, key) is not None:
            identity[key] = getattr(args, key)
    return identity


def _setting_file(args, name: str) -> str:
    return osp.join(args.work_dir, 'settings', f'{_slug(name)}.json')


def _build(args, name: str, ann_file: Optional[str] = None):
    """A runner for the config, with tools/test.py's options."""
    cfg = Config.fromfile(args.config)
    apply_test_options(
        cfg,
        args.config,
        args.checkpoint,
        work_dir=osp.join(args.work_dir, 'runs', _slug(name)),
        tta=args.tta,
        cfg_options=args.cfg_options,
        metric_protocol=args.metric_protocol,
        video_grouping=args.video_grouping)
    # workers fork after each setting's pipeline is set
    cfg.test_dataloader.persistent_workers = False
    if ann_file is not None:
        cfg.test_dataloader.dataset.ann_file = ann_file
    cfg.log_level = 'WARNING'
    return build_runner(cfg)


def _metric(runner):
    metrics = [
        m for m in runner.test_loop.evaluator.metrics
        if hasattr(m, 'scores_file')
    ]
    if not metrics:
        raise ValueError('test_evaluator has no DeepfakeMetric')
    return metrics[0]


def _run_setting(args, runner, name: str, kind, level,
                 first: bool = True) -> dict:
    """Test one setting and store it.

    The first test of a runner is ``runner.test()`` (it loads the
    checkpoint); later ones run only the test loop (the run-level hooks
    re-format the whole config every time, seconds on 2 cores).
    """
    metric = _metric(runner)
    metric.scores_file = osp.join(args.work_dir, 'settings',
                                  f'{_slug(name)}.scores.json')
    start = time.perf_counter()
    metrics = runner.test() if first else runner.test_loop.run()
    record = dict(
        setting=name, kind=kind, level=level, protocol=args.protocol,
        metric_protocol=metric.protocol,
        video_grouping=metric.video_grouping,
        seconds=round(time.perf_counter() - start, 3),
        metrics={k: float(v) for k, v in metrics.items()})
    atomic_dump_json(record, _setting_file(args, name), indent=1)
    return record


def _crop_protocol(args, todo: list, bar) -> None:
    """One runner; the images are decoded once; the pipeline changes."""
    runner = _build(args, 'crop')
    dataset = runner.test_loop.dataloader.dataset
    dataset.full_init()
    transforms = list(dataset.pipeline.transforms)
    cut = split_loading(transforms)
    loading = CachedLoading(transforms[:cut], max_bytes=args.cache_mb << 20)
    loading.fill([dataset.get_data_info(i) for i in range(len(dataset))])
    rest = transforms[cut:]
    for i, (name, kind, level) in enumerate(todo):
        extra = [] if kind is None else [
            _perturbation(kind, level, args.seed)
        ]
        dataset.pipeline = Compose([loading] + extra + rest)
        _run_setting(args, runner, name, kind, level, first=i == 0)
        bar(name)


def _frame_protocol(args, todo: list, bar) -> None:
    """A runner per setting, on its perturbed test set."""
    for name, kind, level in todo:
        ann = None
        if kind is not None:
            ann = args.frame_ann.format(kind=kind, level=level)
            cfg = Config.fromfile(args.config)
            if args.cfg_options:
                cfg.merge_from_dict(args.cfg_options)
            path = resolve_test_ann_file(cfg, ann)
            if not osp.isfile(path):
                print(f'[robustness] {name}: skipped, no perturbed test set '
                      f'{path} (make it with extract_faces.py --perturb '
                      f'{name} and extract_landmarks.py)', flush=True)
                bar(name)
                continue
        _run_setting(args, _build(args, name, ann), name, kind, level)
        bar(name)


def _progress(args, total: int, done: int):
    """One bar over all settings; returns ``update(name)``."""
    if args.no_progress:
        return lambda name: print(f'[robustness] {name} done', flush=True)
    from tqdm import tqdm
    bar = tqdm(total=total, initial=done, desc='robustness', unit='setting')

    def update(name):
        bar.set_postfix_str(name)
        bar.update(1)
        if bar.n >= bar.total:
            bar.close()

    return update


def write_reports(args) -> dict:
    """Gather the stored settings into the JSON/CSV/markdown/PNG reports.

    Returns:
        dict: The ``robustness.json`` content.
    """
    rows = []
    for name, kind, level in args.settings:
        path = _setting_file(args, name)
        if not osp.isfile(path):
            continue
        with open(path, encoding='utf-8') as f:
            rec = json.load(f)
        rows.append(dict(setting=name, kind=kind, level=level,
                         protocol=rec['protocol'],
                         metric_protocol=rec.get('metric_protocol',
                                                 'official'),
                         video_grouping=rec.get('video_grouping', 'full_id'),
                         **metric_row(rec['metrics'])))
    summary = summarize_robustness(rows)
    report = dict(_identity(args), settings=rows, **summary)
    out = args.work_dir
    atomic_dump_json(report, osp.join(out, 'robustness.json'), indent=1)
    metric_protocol, grouping = 'official', 'full_id'
    if rows:
        metric_protocol = rows[0]['metric_protocol']
        grouping = rows[0]['video_grouping']
    same = dict(protocol=args.protocol, metric_protocol=metric_protocol,
                video_grouping=grouping)
    csv_rows = list(rows)
    for kind, means in summary['kind_means'].items():
        csv_rows.append(dict(means, setting=f'{kind}:mean', kind=kind,
                             level='mean', **same))
    if summary['overall_mean']:
        csv_rows.append(dict(summary['overall_mean'], setting='mean',
                             kind='all', level='mean', **same))
    write_csv(osp.join(out, 'robustness.csv'), ROBUSTNESS_COLUMNS, csv_rows)
    text = robustness_markdown(rows, summary, args.protocol,
                               metric_protocol=metric_protocol,
                               video_grouping=grouping)
    atomic_write_text(osp.join(out, 'robustness.md'), text)
    for column, png in (('video_auc', 'robustness.png'),
                        ('video_tpr_at_fpr5', 'robustness_tpr_at_fpr5.png')):
        plot_robustness(rows, osp.join(out, png), column=column,
                        title=f'{column}, {args.protocol} protocol, '
                        f'{metric_protocol} metrics')
    return report


def main(argv: Optional[List[str]] = None) -> dict:
    """Run the missing settings, then write the reports."""
    args = parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    check_run_identity(args.work_dir, _identity(args))
    todo = [s for s in args.settings if not osp.isfile(
        _setting_file(args, s[0]))]
    done = len(args.settings) - len(todo)
    if done:
        print(f'[robustness] reusing {done} finished settings in '
              f'{args.work_dir}/settings', flush=True)
    start = time.perf_counter()
    if todo:
        bar = _progress(args, len(args.settings), done)
        run = _crop_protocol if args.protocol == 'crop' else _frame_protocol
        run(args, todo, bar)
    report = write_reports(args)
    print(f'[robustness] {len(todo)} settings computed in '
          f'{time.perf_counter() - start:.1f} s; reports in '
          f'{args.work_dir}/robustness.{{json,csv,md,png}}', flush=True)
    return report


if __name__ == '__main__':
    main()
