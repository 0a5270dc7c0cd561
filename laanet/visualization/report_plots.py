# Copyright (c) laanet contributors. All rights reserved.
"""PNG figures of the reports: robustness curves, ROC, score histograms,
and the P(fake) of each sampled frame of one inference result."""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

from laanet.evaluation.functional import roc_auc, roc_curve, tpr_at_fpr
from laanet.utils.media import atomic_write

#: Figure size in inches and resolution: 800 x 500 pixels.
FIG_SIZE = (8, 5)
FIG_DPI = 100


def _figure():
    import matplotlib
    matplotlib.use('Agg', force=True)
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=FIG_SIZE, dpi=FIG_DPI)
    return plt, fig, ax


def _save(plt, fig, path: str) -> None:
    fig.tight_layout()
    atomic_write(path, lambda f: fig.savefig(f, format='png', dpi=FIG_DPI),
                 mode='wb')
    plt.close(fig)


def plot_robustness(rows: List[dict], path: str,
                    column: str = 'video_auc',
                    title: Optional[str] = None) -> str:
    """Plot a metric against the level, one line per kind.

    Every line starts at level 0 with the clean value, which is also
    drawn as a dashed line.

    Args:
        rows (list[dict]): Settings' rows (``kind`` None for clean).
        path (str): The ``.png`` file.
        column (str): The metric. Defaults to ``'video_auc'``.
        title (str, optional): The title.

    Returns:
        str: ``path``.
    """
    plt, fig, ax = _figure()
    clean = next((r[column] for r in rows if r['kind'] is None), None)
    kinds = list(dict.fromkeys(r['kind'] for r in rows if r['kind']))
    for kind in kinds:
        sub = sorted((r for r in rows if r['kind'] == kind),
                     key=lambda r: r['level'])
        xs = [r['level'] for r in sub if r[column] is not None]
        ys = [r[column] for r in sub if r[column] is not None]
        if clean is not None:
            xs, ys = [0] + xs, [clean] + ys
        ax.plot(xs, ys, marker='o', label=kind)
    if clean is not None:
        ax.axhline(clean, color='k', linestyle='--', linewidth=1,
                   label=f'clean ({clean:.1f})')
    ax.set_xticks(range(0, 6))
    ax.set_xticklabels(['clean', '1', '2', '3', '4', '5'])
    ax.set_xlabel('level')
    ax.set_ylabel(f'{column} (%)')
    ax.set_title(title or f'{column} under perturbations')
    ax.grid(alpha=0.3)
    ax.legend(ncol=2, fontsize='small')
    _save(plt, fig, path)
    return path


def plot_roc(curves: Dict[str, Dict[str, np.ndarray]], path: str,
             title: str = 'ROC', fpr_marks: Sequence[float] = (),
             log_fpr: bool = False) -> str:
    """ROC curves, one per test set.

    Args:
        curves (dict): Name -> dict of ``scores`` and ``labels``.
        path (str): The ``.png`` file.
        title (str): The title. Defaults to ``'ROC'``.
        fpr_marks (Sequence[float]): False-positive rates marked by a
            vertical line, each set's TPR there (:func:`tpr_at_fpr`) in its
            legend. Defaults to none.
        log_fpr (bool): A logarithmic FPR axis from 0.1 % (the low-FPR
            region screening reads). Defaults to False.

    Returns:
        str: ``path``.
    """
    plt, fig, ax = _figure()
    low = 1e-3
    for name, d in curves.items():
        fpr, tpr, _ = roc_curve(d['scores'], d['labels'])
        auc = roc_auc(d['scores'], d['labels']) * 100
        marks = ''
        for t in fpr_marks:
            value = 100 * tpr_at_fpr(d['scores'], d['labels'], t)
            marks += f', TPR@{100 * t:g}% {value:.1f}'
        if log_fpr:  # FPR 0 is drawn at the left edge
            fpr = np.maximum(fpr, low / 2)
        ax.plot(fpr, tpr, label=f'{name} (AUC {auc:.1f}{marks})')
    for t in fpr_marks:
        ax.axvline(t, color='k', linestyle='--', linewidth=0.8)
    if log_fpr:
        ax.set_xscale('log')
        ax.set_xlim(low / 2, 1)
    else:
        ax.plot([0, 1], [0, 1], color='grey', linestyle=':', linewidth=1)
        ax.set_xlim(0, 1)
    ax.set_xlabel('false positive rate' + (' (log)' if log_fpr else ''))
    ax.set_ylabel('true positive rate')
    ax.set_ylim(0, 1.01)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize='small', loc='lower right')
    _save(plt, fig, path)
    return path


def plot_score_histograms(sets: Dict[str, Dict[str, np.ndarray]], path: str,
                          bins: int = 20,
                          title: str = 'Scores') -> str:
    """Real and fake score histograms, one panel per test set.

    Args:
        sets (dict): Name -> dict of ``scores`` (0..1) and ``labels``.
        path (str): The ``.png`` file.
        bins (int): Bins over the set's score range. Defaults to 20.
        title (str): The figure title. Defaults to ``'Scores'``.

    Returns:
        str: ``path``.
    """
    import matplotlib
    matplotlib.use('Agg', force=True)
    import matplotlib.pyplot as plt
    names: Sequence[str] = list(sets)
    cols = min(len(names), 4)
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=FIG_SIZE, dpi=FIG_DPI,
                             squeeze=False)
    for ax, name in zip(axes.flat, names):
        d = sets[name]
        lo, hi = float(d['scores'].min()), float(d['scores'].max())
        pad = max(hi - lo, 1e-6) * 0.02
        edges = np.linspace(lo - pad, hi + pad, bins + 1)
        for label, colour, text in ((0, 'tab:blue', 'real'),
                                    (1, 'tab:red', 'fake')):
            ax.hist(d['scores'][d['labels'] == label], bins=edges,
                    alpha=0.6, color=colour, label=text)
        ax.set_title(name, fontsize='small')
        ax.set_xlabel('fake score')
    for ax in list(axes.flat)[len(names):]:
        ax.axis('off')
    axes.flat[0].legend(fontsize='small')
    fig.suptitle(title)
    _save(plt, fig, path)
    return path


def plot_frame_scores(result: dict, path: str) -> str:
    """P(fake) per sampled frame of one inference result.

    One marker per frame with a face, at the frame's index (frames
    without a face are marked with a grey ``x`` at the bottom), the
    threshold as a dashed line and the input's score in the title. The
    frame scores are raw P(fake); with a calibration, the line is its
    operating point in raw P(fake) (``calibration['raw_threshold']``).

    Args:
        result (dict): A result of :class:`~laanet.apis.DeepfakeInferencer`
            (``frames``, ``threshold``, ``score``, ``file``).
        path (str): The ``.png`` file.

    Returns:
        str: ``path``.
    """
    plt, fig, ax = _figure()
    scored = [f for f in result['frames'] if f['score'] is not None]
    ax.plot([f['index'] for f in scored], [f['score'] for f in scored],
            marker='o', color='tab:red', label='frame P(fake)')
    empty = [f['index'] for f in result['frames'] if f['score'] is None]
    if empty:
        ax.plot(empty, [0.] * len(empty), 'x', color='grey',
                label='no face')
    threshold = (result.get('calibration') or {}).get(
        'raw_threshold', result['threshold'])
    ax.axhline(threshold, color='k', linestyle='--', linewidth=1,
               label=f'threshold {threshold:g}')
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel('frame index')
    ax.set_ylabel('P(fake)')
    score = result['score']
    ax.set_title(f'{osp.basename(result["file"])}: ' + (
        'no face' if score is None else f'P(fake) {score:.3f}'))
    ax.grid(alpha=0.3)
    ax.legend(fontsize='small')
    _save(plt, fig, path)
    return path


def plot_scores_file(scores_file: str, out_dir: str,
                     name: str = 'test') -> List[str]:
    """ROC curves and score histograms of one ``--out`` scores file.

    Writes ``roc.png`` (frame and video ROC) and ``score_hist.png`` (real
    vs fake, frame and video level) in ``out_dir``.

    Args:
        scores_file (str): A ``.json``/``.csv`` of ``tools/test.py --out``.
        out_dir (str): Where the PNGs go.
        name (str): The set's name in the legends. Defaults to ``'test'``.

    Returns:
        list[str]: The two paths.
    """
    from laanet.evaluation.reports import read_scores
    sets = {
        f'{name} ({level})': read_scores(scores_file, level)
        for level in ('frame', 'video')
    }
    return [
        plot_roc(sets, osp.join(out_dir, 'roc.png'), title=f'ROC, {name}'),
        plot_score_histograms(sets, osp.join(out_dir, 'score_hist.png'),
                              title=f'real vs fake scores, {name}')
    ]
