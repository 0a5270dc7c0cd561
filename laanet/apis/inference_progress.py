# Copyright (c) laanet contributors. All rights reserved.
"""The progress display of overlapped inference."""
from typing import Callable, Optional

from rich.progress import Progress


class InferenceProgress:
    """Progress bars for the inputs (when there are several) and for the
    frames of the input being scored.

    A context manager; with ``enabled=False`` no bar is shown.

    Args:
        num_inputs (int): Inputs to score.
        enabled (bool): Show the bars. Defaults to True.
        callback (callable, optional): Also called as ``callback('frames',
            done, total)`` after each frame of an input (the ``progress``
            of ``DeepfakeInferencer.__call__``, e.g. the web app's bar),
            shown or not. Defaults to None.
    """

    def __init__(self,
                 num_inputs: int,
                 enabled: bool = True,
                 callback: Optional[Callable[[str, int, int],
                                             None]] = None) -> None:
        self.num_inputs = num_inputs
        self.enabled = enabled
        self.callback = callback
        self._progress: Optional[Progress] = None
        self._inputs = self._frames = None
        self._frame_count = [0, 0]  # done, total of the current input

    def __enter__(self) -> 'InferenceProgress':
        if self.enabled:
            self._progress = Progress(transient=False)
            self._progress.__enter__()
            if self.num_inputs > 1:
                self._inputs = self._progress.add_task(
                    'Inputs', total=self.num_inputs)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc_info)
            self._progress = None

    def start_media(self, media: dict) -> None:
        """A new input was decoded: a bar over its frames (several only).

        Args:
            media (dict): The decoded input (``file``, ``frames``).
        """
        self._frame_count = [0, len(media['frames'])]
        if self._progress is None:
            return
        if self._frames is not None:
            self._progress.remove_task(self._frames)
            self._frames = None
        if len(media['frames']) > 1:
            import os.path as osp
            self._frames = self._progress.add_task(
                f'Frames of {osp.basename(media["file"])}',
                total=len(media['frames']))

    def frame_done(self) -> None:
        """A frame's faces were queued for (or sent to) the model."""
        self._frame_count[0] += 1
        if self.callback is not None:
            self.callback('frames', *self._frame_count)
        if self._progress is not None and self._frames is not None:
            self._progress.advance(self._frames)

    def input_done(self) -> None:
        """An input got its result."""
        if self._progress is not None and self._inputs is not None:
            self._progress.advance(self._inputs)
