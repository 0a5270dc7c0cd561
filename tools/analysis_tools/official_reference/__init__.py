# Copyright (c) laanet contributors. All rights reserved.
"""The two official-equivalent re-implementations, kept out of laanet.

- :mod:`.network`: the official LAA-Net network (``PoseEfficientNet``
  state-dict layout, official losses), the oracle of the checkpoint
  converter's parity tests and the reference of ``benchmark_model.py``;
- :mod:`.pipeline`: the official SBI training sample, and
  :mod:`.bi_pipeline` the official BI training item, the references of
  ``benchmark_pipeline.py``.

Both are rebuilt from the reference notes, not copied from the official
code, and neither is product code: tests and the benchmarks import them
with ``tools/analysis_tools`` on ``sys.path``.
"""
