# Copyright (c) laanet contributors. All rights reserved.
"""Collect the JSON files of ``gpu_check.sh`` into one table and JSON.

Example::

    python tools/analysis_tools/gpu_check_table.py work_dirs/gpu_check
"""
import argparse
import json
import os.path as osp
import sys
from typing import List, Optional, Sequence

from laanet.utils.media import atomic_dump_json, atomic_write_text

#: (file stem, row label) of the model rows, in table order.
MODEL_ROWS = [(f'{mode}_{amp}', f'{label}, {amp}')
              for mode, label in (('train', 'training pass'),
                                  ('sam', 'SAM iteration'))
              for amp in ('fp32', 'bf16', 'fp16')] + [
                  ('forward_fp32', 'inference, fp32'),
                  ('forward_bf16', 'inference, bf16')
              ]


#: FakeSTormer's rows (clips; older check folders have none).
FST_ROWS = [('fakestormer_sam_fp32', 'FakeSTormer SAM iteration, fp32'),
            ('fakestormer_sam_bf16', 'FakeSTormer SAM iteration, bf16'),
            ('fakestormer_forward_fp32', 'FakeSTormer inference, fp32')]


def _load(out_dir: str, stem: str) -> dict:
    """One step's JSON (it must exist: every step of the check writes
    one)."""
    with open(osp.join(out_dir, f'{stem}.json')) as f:
        return json.load(f)


def build_table(out_dir: str) -> List[str]:
    """The markdown lines of the table.

    Args:
        out_dir (str): The folder ``gpu_check.sh`` wrote into.

    Returns:
        list[str]: The table and the lines under it.
    """
    lines = [
        '| what | batch | images/s | ms / iteration | peak memory (MiB) |',
        '|---|---|---|---|---|'
    ]
    for stem, label in MODEL_ROWS:
        r = _load(out_dir, stem)
        lines.append(f'| {label} | {r["batch_size"]} | {r["images_per_s"]}'
                     f' | {r["ms_per_iter"]} | {r["peak_mem_mb"]} |')
    ref = _load(out_dir, 'reference')
    for name, r in ref['reference'].items():
        lines.append(
            f'| official-equivalent training pass, {name.split("_")[-1]}'
            f' | {ref["batch_size"]} | {r["images_per_s"]} | '
            f'{r["ms_per_iter"]} | (process peak {ref["peak_mem_mb"]}) |')
    for stem, label in FST_ROWS:
        if osp.isfile(osp.join(out_dir, f'{stem}.json')):
            r = _load(out_dir, stem)
            lines.append(
                f'| {label} | {r["batch_size"]} clips | '
                f'{r["images_per_s"]} clips | {r["ms_per_iter"]} | '
                f'{r["peak_mem_mb"]} |')
    lines.append('')
    fst_ref = osp.join(out_dir, 'fakestormer_reference.json')
    if osp.isfile(fst_ref):
        r = _load(out_dir, 'fakestormer_reference')
        off = r['reference']['official_float32']
        lines.append(
            '- FakeSTormer fp32 training pass (2 clips) vs the official '
            f'network: {off["speedup_of_laanet"]}x (median of interleaved '
            'iterations; largest output difference '
            f'{r.get("reference_max_rel_diff")})')
    for name, r in ref['reference'].items():
        lines.append(f'- laanet fp32 training pass vs {name}: '
                     f'{r["speedup_of_laanet"]}x (median of interleaved '
                     'iterations)')
    ddp = _load(out_dir, 'ddp')
    lines.append(f'- DDP smoke run (tools/dist_train.sh, 1 process, demo '
                 f'data, {ddp["device"]}): ok in {ddp["seconds"]} s')
    pipe = _load(out_dir, 'pipeline')
    sam = _load(out_dir, 'sam_fp32')
    step_pairs = sam['images_per_s'] / 2
    lines.append(
        f'- SBI DataLoader, {pipe.get("workers")} workers: '
        f'{pipe.get("pairs_per_s", 0):.1f} pairs/s against '
        f'{step_pairs:.1f} pairs/s consumed by the fp32 SAM iteration '
        f'({pipe.get("pairs_per_s", 0) / step_pairs:.2f}x)')
    return lines


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Print the table; write ``gpu_check.md`` and ``gpu_check.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='the folder of gpu_check.sh')
    args = parser.parse_args(argv)
    lines = build_table(args.out_dir)
    text = '\n'.join(lines) + '\n'
    print(text)
    atomic_write_text(osp.join(args.out_dir, 'gpu_check.md'), text)
    stems = [s for s, _ in MODEL_ROWS] + ['reference', 'ddp', 'pipeline']
    stems += [
        s for s in [r for r, _ in FST_ROWS] + ['fakestormer_reference']
        if osp.isfile(osp.join(args.out_dir, f'{s}.json'))
    ]
    atomic_dump_json({s: _load(args.out_dir, s)
                      for s in stems},
                     osp.join(args.out_dir, 'gpu_check.json'),
                     indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
