# Copyright (c) laanet contributors. All rights reserved.
"""Report tables of the robustness and cross-dataset tools."""
from .report_tables import (METRIC_COLUMNS, format_number, markdown_table,
                            metric_row, read_scores, sample_unit,
                            write_csv)
from .cross_dataset_tables import (METHOD_COLUMNS, cross_dataset_markdown,
                                   method_rows, protocol_title)
from .rescore import load_scores_records, metric_settings, rescore
from .run_identity import check_run_identity
from .dataset_files import resolve_test_ann_file
from .robustness_summary import (ROBUSTNESS_COLUMNS, parse_levels,
                                 robustness_markdown, robustness_settings,
                                 setting_name, summarize_robustness)

__all__ = [
    'METRIC_COLUMNS', 'format_number', 'markdown_table', 'metric_row',
    'read_scores', 'sample_unit', 'write_csv', 'check_run_identity',
    'ROBUSTNESS_COLUMNS',
    'parse_levels', 'robustness_markdown', 'robustness_settings',
    'setting_name', 'summarize_robustness', 'resolve_test_ann_file',
    'load_scores_records', 'metric_settings', 'rescore', 'METHOD_COLUMNS',
    'cross_dataset_markdown', 'method_rows', 'protocol_title'
]
