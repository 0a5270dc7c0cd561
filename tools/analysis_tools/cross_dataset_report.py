# Copyright (c) laanet contributors. All rights reserved.
"""Test one checkpoint on several test sets; the paper-style table.

Example::

    # the 8 test configs of configs/laanet/test/ (missing data skipped)
    python tools/analysis_tools/cross_dataset_report.py CHECKPOINT \\
        --work-dir work_dirs/cross_dataset
    # chosen sets
    python tools/analysis_tools/cross_dataset_report.py CHECKPOINT \\
        configs/laanet/test/laanet_efn-b4-efpn_test_celebdf-v2-384px.py \\
        configs/laanet/test/laanet_efn-b4-efpn_test_dfd-384px.py \\
        --work-dir work_dirs/cross_dataset

Each set is tested as ``tools/test.py`` tests it and stored under
``WORK_DIR/sets/<config>/`` (a finished set is not tested again); its
scores file is then scored under every protocol of
``--metric-protocols`` (``official``, LAA-Net's, and/or
``deepfakebench``, DeepfakeBench's ``get_test_metrics``). Writes
``cross_dataset.{md,csv,json}`` (per set and protocol: frame and video
AUC / AP / EER, TPR at FPR 1 % and 5 %, ECE and Brier, beside the paper's
numbers from the model zoo, ``model-index.yml``; every row and table says
its protocol), ``cross_dataset_methods.csv`` (per fake method: its fakes
against the set's reals), ``roc_video.png``, ``roc_frame.png``, their
low-FPR views ``roc_video_low_fpr.png`` and ``roc_frame_low_fpr.png``
(log FPR, 1 % and 5 % marked) and ``score_hist_video.png``; the figures
are of the tested run's own protocol.

``--calibration FILE`` applies a calibration fitted on one set
(``tools/analysis_tools/calibrate.py``) to every set, as a user meets it:
per set the FPR / TPR / ECE of its verdicts at the operating point
(``cal_*`` columns, a table labelled with the set it was fitted on).
"""
import argparse
import glob
import json
import os.path as osp
import time
from typing import List, Optional

from mmengine.config import Config, DictAction

from laanet.engine import apply_test_options, apply_tta, build_runner
from laanet.evaluation.calibration import (CALIBRATED_COLUMNS,
                                           calibrated_markdown,
                                           calibrated_row,
                                           calibration_for_model)
from laanet.evaluation.reports import (METHOD_COLUMNS, METRIC_COLUMNS,
                                       check_run_identity,
                                       cross_dataset_markdown,
                                       load_scores_records, method_rows,
                                       metric_row, metric_settings,
                                       read_scores, rescore,
                                       resolve_test_ann_file, sample_unit,
                                       write_csv)
from laanet.evaluation.functional import DEFAULT_FPR_TARGETS
from laanet.utils.media import atomic_dump_json, atomic_write_text
from laanet.utils.cli_args import (add_metric_protocol_arguments,
                                   add_tta_arguments)
from laanet.utils.model_zoo import (find_model, load_metafile,
                                    paper_results)
from laanet.visualization import plot_roc, plot_score_histograms

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_CONFIGS = sorted(
    glob.glob(osp.join(ROOT, 'configs', 'laanet', 'test', '*.py')))
COLUMNS = ('set', 'dataset', 'status', 'protocol', 'video_grouping',
           'frames', 'videos') + tuple(METRIC_COLUMNS) + (
               'paper_video_auc', 'paper_video_ap', 'config'
           ) + CALIBRATED_COLUMNS


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='Test a checkpoint on several test sets.')
    p.add_argument('checkpoint', help='checkpoint file')
    p.add_argument('configs', nargs='*',
                   help='test configs (default: configs/laanet/test/*.py)')
    p.add_argument('--work-dir', required=True, help='output folder')
    p.add_argument('--paper-model', default='efn4_sbi',
                   help='metafile model whose reported numbers are shown '
                   '(name or alias; default efn4_sbi)')
    p.add_argument('--metafile', default=None,
                   help='look --paper-model up in this metafile only '
                   '(default: every metafile of model-index.yml)')
    p.add_argument('--calibration', help='apply this calibration (fitted '
                   'on one set) to every set: its verdicts\' FPR / TPR')
    p.add_argument('--operating-point',
                   help="the calibration's point (default: its default)")
    add_tta_arguments(p)
    add_metric_protocol_arguments(p, multiple=True)
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override settings of every config')
    p.add_argument('--no-progress', action='store_true')
    args = p.parse_args(argv)
    args.configs = args.configs or DEFAULT_CONFIGS
    return args


def _stem(config: str) -> str:
    return osp.splitext(osp.basename(config))[0]


def _load_cfg(args, config: str) -> Config:
    """The config as ``tools/test.py`` will test it: ``--cfg-options`` and
    ``--tta`` applied (the calibration check hashes its model)."""
    cfg = Config.fromfile(config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    return apply_tta(cfg, args.tta)


def missing_data(cfg: Config) -> Optional[str]:
    """The test annotation file when it does not exist, else None."""
    path = resolve_test_ann_file(cfg)
    return None if osp.isfile(path) else path


def _test_set(args, config: str, set_dir: str) -> dict:
    """``tools/test.py`` on one set; stores its metrics."""
    cfg = Config.fromfile(config)
    scores = osp.join(set_dir, 'scores.json')
    apply_test_options(cfg, config, args.checkpoint, work_dir=set_dir,
                       out=scores, tta=args.tta,
                       cfg_options=args.cfg_options)
    cfg.log_level = 'WARNING'
    start = time.perf_counter()
    runner = build_runner(cfg)
    metrics = runner.test()
    with open(scores, encoding='utf-8') as f:
        payload = json.load(f)
    metric = next(m for m in runner.test_evaluator.metrics
                  if getattr(m, 'scores_file', None) == scores)
    record = dict(config=osp.abspath(config), scores=scores,
                  seconds=round(time.perf_counter() - start, 3),
                  frames=len(payload['frames']),
                  unit=sample_unit(payload['frames']),
                  videos=len(payload['videos']),
                  metric=metric_settings(metric),
                  metrics={k: float(v) for k, v in metrics.items()})
    atomic_dump_json(record, osp.join(set_dir, 'metrics.json'), indent=1)
    return record


def _paper(paper_model: Optional[dict], config: str) -> dict:
    if paper_model is None:
        return {}
    res = paper_results(paper_model, config)
    if not res:
        return {}
    (entry, ) = res.values()
    return dict(dataset=entry.get('Dataset'),
                paper_video_auc=entry['Metrics'].get('Video AUC'),
                paper_video_ap=entry['Metrics'].get('Video AP'),
                paper_source=entry.get('Source'))


def write_reports(args, rows: List[dict], curves: dict,
                  methods: List[dict]) -> None:
    """The markdown, CSV, JSON and PNG outputs."""
    out = args.work_dir
    atomic_dump_json(
        dict(checkpoint=osp.abspath(args.checkpoint),
             paper_model=args.paper_model, sets=rows, methods=methods),
        osp.join(out, 'cross_dataset.json'), indent=1)
    write_csv(osp.join(out, 'cross_dataset.csv'), COLUMNS, rows)
    write_csv(osp.join(out, 'cross_dataset_methods.csv'), METHOD_COLUMNS,
              methods)
    text = cross_dataset_markdown(args.checkpoint, args.paper_model, rows,
                                  methods)
    if args.calibration:  # one table per set: the calibration's verdicts
        first = args.metric_protocols[0]
        text += '\n' + calibrated_markdown(
            [r for r in rows if r.get('protocol') == first])
    atomic_write_text(osp.join(out, 'cross_dataset.md'), text)
    if curves:
        for level in ('video', 'frame'):
            level_curves = {k: v[level] for k, v in curves.items()}
            plot_roc(level_curves, osp.join(out, f'roc_{level}.png'),
                     title=f'ROC, {level} level')
            plot_roc(level_curves, osp.join(out, f'roc_{level}_low_fpr.png'),
                     title=f'ROC at low FPR, {level} level',
                     fpr_marks=DEFAULT_FPR_TARGETS, log_fpr=True)
        plot_score_histograms({k: v['video'] for k, v in curves.items()},
                              osp.join(out, 'score_hist_video.png'),
                              title='real vs fake video scores')


def main(argv: Optional[List[str]] = None) -> List[dict]:
    """Test every set that has data, then write the reports."""
    args = parse_args(argv)
    check_run_identity(
        args.work_dir,
        dict(checkpoint=osp.abspath(args.checkpoint), tta=args.tta,
             cfg_options=args.cfg_options))
    calibration = None
    if args.calibration:  # refused early if made for another model
        for config in args.configs:
            calibration = calibration_for_model(
                args.calibration, _load_cfg(args, config), args.checkpoint)
    paper_model = None
    if args.paper_model:
        paper_model = find_model(load_metafile(args.metafile),
                                 args.paper_model)
    bar = None
    if not args.no_progress:
        from tqdm import tqdm
        bar = tqdm(total=len(args.configs), desc='test sets', unit='set')
    rows, curves, methods = [], {}, []
    for config in args.configs:
        name = _stem(config)
        set_dir = osp.join(args.work_dir, 'sets', name)
        cfg = _load_cfg(args, config)
        row = dict(dict(set=name, config=config, dataset=None),
                   **_paper(paper_model, config))
        missing = missing_data(cfg)
        done_file = osp.join(set_dir, 'metrics.json')
        record = None
        if missing is not None:
            print(f'[cross-dataset] {name}: skipped, no test data '
                  f'({missing} not found; see '
                  'docs/en/user_guides/prepare_data.md)', flush=True)
            row['status'] = f'missing: {missing}'
        else:
            if osp.isfile(done_file):
                with open(done_file, encoding='utf-8') as f:
                    record = json.load(f)
                print(f'[cross-dataset] {name}: reusing {done_file}',
                      flush=True)
            else:
                record = _test_set(args, config, set_dir)
            row.update(status='done', frames=record['frames'],
                       unit=record.get('unit', 'frame'),
                       videos=record['videos'])
            if calibration is not None:
                row.update(calibrated_row(calibration, record['scores'],
                                          args.operating_point))
            curves[name] = {
                level: read_scores(record['scores'], level)
                for level in ('frame', 'video')
            }
        set_rows, set_methods = _protocol_rows(args, row, record)
        rows += set_rows
        methods += set_methods
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    write_reports(args, rows, curves, methods)
    done = len(curves)
    print(f'[cross-dataset] {done} of {len(args.configs)} sets tested; '
          f'reports in {args.work_dir}/cross_dataset.{{md,csv,json}}',
          flush=True)
    return rows


def _protocol_rows(args, row: dict, record: Optional[dict]):
    """The set's row under each protocol of ``--metric-protocols``, scored
    from its scores file, and its per-method rows."""
    rows, methods = [], []
    records = None if record is None else load_scores_records(
        record['scores'])
    settings = (record or {}).get('metric')
    for protocol in args.metric_protocols:
        grouping = 'full_id' if protocol == 'official' else (
            args.video_grouping or 'dfb_basename')
        out = dict(row, protocol=protocol, video_grouping=grouping)
        if record is not None:
            metrics = rescore(record['scores'], protocol, grouping,
                              settings)
            out.update(metric_row(metrics, prefix=''))
            methods += method_rows(row['set'], protocol, grouping, metrics,
                                   records,
                                   (settings or {}).get('breakdown_key'))
        rows.append(out)
    return rows, methods


if __name__ == '__main__':
    main()
