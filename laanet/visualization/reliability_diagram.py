# Copyright (c) laanet contributors. All rights reserved.
"""The reliability diagram of a calibration: observed fraction of fakes
against P(fake), before and after, one panel per level."""
from typing import Dict

import numpy as np

from laanet.evaluation.functional import (expected_calibration_error,
                                          reliability_bins)
from .report_plots import FIG_DPI, _save


def plot_reliability(levels: Dict[str, Dict[str, dict]], path: str,
                     num_bins: int = 10, title: str = 'Reliability') -> str:
    """Reliability diagrams, one panel per level.

    Each panel draws, for ``before`` and ``after``, the fraction of fakes
    per equal-width bin of P(fake) at the bin's mean score (marker area
    by the bin's count), with the ECE in the legend; the diagonal is a
    perfect calibration.

    Args:
        levels (dict): Level name -> ``{'before': {'scores', 'labels'},
            'after': {...}}`` (P(fake) in [0, 1]).
        path (str): The ``.png`` file.
        num_bins (int): Defaults to 10 (the ECE's bins).
        title (str): Figure title. Defaults to ``'Reliability'``.

    Returns:
        str: ``path``.
    """
    import matplotlib
    matplotlib.use('Agg', force=True)
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(
        1, len(levels), figsize=(5 * len(levels), 5), dpi=FIG_DPI,
        squeeze=False)
    for ax, (level, curves) in zip(axes[0], levels.items()):
        ax.plot([0, 1], [0, 1], color='grey', linestyle=':', linewidth=1)
        for (name, d), color in zip(curves.items(), ('C3', 'C0', 'C2')):
            bins = reliability_bins(d['scores'], d['labels'], num_bins)
            full = bins['count'] > 0
            ece = expected_calibration_error(d['scores'], d['labels'],
                                             bins=num_bins) * 100
            ax.plot(bins['mean_score'][full], bins['fake_fraction'][full],
                    color=color, marker=None, linewidth=1.5,
                    label=f'{name} (ECE {ece:.1f} %)')
            size = 20 + 200 * bins['count'][full] / max(
                1.0, float(np.max(bins['count'])))
            ax.scatter(bins['mean_score'][full],
                       bins['fake_fraction'][full], s=size, color=color,
                       alpha=0.6)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel('P(fake)')
        ax.set_ylabel('fraction of fakes')
        ax.set_title(f'{level} level')
        ax.grid(alpha=0.3)
        ax.legend(fontsize='small', loc='upper left')
    fig.suptitle(title)
    _save(plt, fig, path)
    return path
