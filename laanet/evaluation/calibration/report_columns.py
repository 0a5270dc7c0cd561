# Copyright (c) laanet contributors. All rights reserved.
"""A calibration fitted on one set, applied to the sets of a report
(``tools/analysis_tools/cross_dataset_report.py --calibration``)."""
from typing import List, Optional, Sequence

from .calibration import Calibration
from .scores_files import calibrate_scores, read_scores_json

#: Row keys :func:`calibrated_row` adds (rates and ECE in %).
CALIBRATED_COLUMNS = ('calibration', 'cal_point', 'cal_frame_fpr',
                      'cal_frame_tpr', 'cal_frame_ece', 'cal_video_fpr',
                      'cal_video_tpr', 'cal_video_ece')


def calibrated_row(calibration: Calibration, scores_file: str,
                   operating_point: Optional[str] = None) -> dict:
    """The :data:`CALIBRATED_COLUMNS` of one tested set.

    Args:
        calibration (Calibration): Fitted on some set.
        scores_file (str): The set's JSON scores (``tools/test.py --out``).
        operating_point (str, optional): Defaults to the calibration's.

    Returns:
        dict: ``calibration`` (where it was fitted), ``cal_point`` and the
        FPR / TPR / ECE (%) of the calibrated verdicts on this set.
    """
    out = calibrate_scores(calibration, read_scores_json(scores_file),
                           operating_point)
    row = dict(calibration=out['calibration']['fitted_on'],
               cal_point=out['calibration']['operating_point'])
    for level, s in out['summary'].items():
        for key in ('fpr', 'tpr', 'ece'):
            row[f'cal_{level}_{key}'] = 100 * s[key]
    return row


def calibrated_markdown(rows: Sequence[dict]) -> str:
    """The report's section on the calibrated verdicts, labelled with the
    set the calibration was fitted on."""
    from laanet.evaluation.reports import markdown_table
    done = [r for r in rows if r.get('calibration')]
    if not done:
        return ''
    header = ['set', 'frame FPR', 'frame TPR', 'frame ECE', 'video FPR',
              'video TPR', 'video ECE']
    body: List[list] = [[r['set']] + [
        r[f'cal_{level}_{key}'] for level in ('frame', 'video')
        for key in ('fpr', 'tpr', 'ece')
    ] for r in done]
    return (f'## Calibrated verdicts\n\ncalibration fitted on '
            f'{done[0]["calibration"]}, applied to every set; operating '
            f'point `{done[0]["cal_point"]}`; in %.\n\n' +
            markdown_table(header, body))
