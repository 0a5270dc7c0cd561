# Copyright (c) laanet contributors. All rights reserved.
"""The data structure that carries one face through the toolbox."""
from multiprocessing.reduction import ForkingPickler
from numbers import Number
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.structures import BaseDataElement, PixelData
from mmengine.utils import is_str

LABEL_TYPE = Union[torch.Tensor, np.ndarray, Sequence, Number]
SCORE_TYPE = Union[torch.Tensor, np.ndarray, Sequence, Number]


def format_label(value: LABEL_TYPE) -> torch.Tensor:
    """Convert a label of various types into a 1-D ``LongTensor``.

    Supported types are :class:`numpy.ndarray`, :class:`torch.Tensor`,
    :class:`Sequence` and plain ``int``.

    Args:
        value (torch.Tensor | numpy.ndarray | Sequence | int): Label value.

    Returns:
        torch.Tensor: The formatted label tensor of shape ``(N, )``.

    Raises:
        TypeError: If the value is a string or of an unsupported type.
    """
    if isinstance(value, np.integer) or (isinstance(value, np.ndarray)
                                         and value.ndim == 0):
        value = int(value)
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(value).to(torch.long)
    elif isinstance(value, Sequence) and not is_str(value):
        value = torch.tensor(value).to(torch.long)
    elif isinstance(value, int):
        value = torch.LongTensor([value])
    elif isinstance(value, torch.Tensor):
        value = value.to(torch.long)
    else:
        raise TypeError(f'Type {type(value)} is not an available label type.')
    if value.ndim == 0:
        value = value.reshape(1)
    if value.ndim != 1:
        raise ValueError(
            f'The label must be 1-D, but got a tensor of shape '
            f'{tuple(value.shape)}.')
    return value


def format_score(value: SCORE_TYPE) -> torch.Tensor:
    """Convert a score or logit of various types into a 1-D float tensor.

    Args:
        value (torch.Tensor | numpy.ndarray | Sequence | float): The value.

    Returns:
        torch.Tensor: The formatted float tensor of shape ``(N, )``.

    Raises:
        TypeError: If the value is of an unsupported type.
    """
    if isinstance(value, np.ndarray):
        value = torch.from_numpy(np.asarray(value, dtype=np.float32))
    elif isinstance(value, Sequence) and not is_str(value):
        value = torch.tensor(value, dtype=torch.float32)
    elif isinstance(value, Number) and not isinstance(value, bool):
        value = torch.tensor([float(value)], dtype=torch.float32)
    elif isinstance(value, torch.Tensor):
        value = value.float()
    else:
        raise TypeError(f'Type {type(value)} is not an available score type.')
    return value.reshape(-1)


class DeepfakeDataSample(BaseDataElement):
    """The data structure of one face image for deepfake detection.

    It is the only thing, besides the input tensor, that crosses module
    boundaries: transforms pack targets into it, heads read targets from it
    and write predictions into it, metrics and visualizers read it.

    The field contract:

    - **Meta information** (set with ``set_metainfo``): ``img_path``,
      ``video_id`` (unique across manipulations, e.g.
      ``'Deepfakes/000_003'``), ``frame_idx``, ``dataset_name``,
      ``manipulation`` (e.g. ``'Deepfakes'``, ``'SBI'``), ``ori_shape``,
      ``img_shape``, ``flip``.
    - **Ground truth:**

      - ``gt_label`` (LongTensor of shape ``(1, )``): 0 = real, 1 = fake.
      - ``gt_fields`` (:obj:`PixelData`): ``heatmap`` (1×h×w, the
        artifact-point Gaussians, peaks exactly 1.0), ``consistency``
        (1×h×w, the consistency target ``1 − |B_max − B|``); optionally,
        for visualisation, ``boundary`` (1×h×w, the blending-boundary map
        ``B = 4M(1 − M)``, ``PackDeepfakeInputs(with_boundary=True)``)
        and ``blend_mask`` (1×h×w, the blend mask ``M`` itself,
        ``PackDeepfakeInputs(with_blend_mask=True)``).

    - **Predictions:**

      - ``pred_score`` (FloatTensor of shape ``(1, )``): the probability
        that the face is fake, in [0, 1].
      - ``pred_logit`` (FloatTensor of shape ``(1, )``): the raw logit of
        the classification head (flip-averaged when TTA is on).
      - ``pred_fields`` (:obj:`PixelData`): ``heatmap`` (1×h×w, the
        sigmoid of the heatmap head) when the model is asked for it.

    Examples:
        >>> import torch
        >>> from laanet.structures import DeepfakeDataSample
        >>> sample = DeepfakeDataSample().set_gt_label(1)
        >>> sample.gt_label
        tensor([1])
        >>> sample = sample.set_pred_score(0.75)
        >>> sample.pred_score
        tensor([0.7500])
        >>> sample = sample.set_gt_heatmap(torch.zeros(1, 96, 96))
        >>> sample.gt_fields.heatmap.shape
        torch.Size([1, 96, 96])
    """

    def set_gt_label(self, value: LABEL_TYPE) -> 'DeepfakeDataSample':
        """Set ``gt_label`` (0 = real, 1 = fake)."""
        self.set_field(format_label(value), 'gt_label', dtype=torch.Tensor)
        return self

    def set_pred_score(self, value: SCORE_TYPE) -> 'DeepfakeDataSample':
        """Set ``pred_score``, the probability of *fake*.

        Raises:
            ValueError: If a value lies outside [0, 1] (a logit passed by
                mistake).
        """
        score = format_score(value)
        if score.numel() and (score.min() < 0 or score.max() > 1):
            raise ValueError(
                '`pred_score` is a probability in [0, 1], but got '
                f'{score.tolist()}; use `set_pred_logit` for logits.')
        self.set_field(score, 'pred_score', dtype=torch.Tensor)
        return self

    def set_pred_logit(self, value: SCORE_TYPE) -> 'DeepfakeDataSample':
        """Set ``pred_logit``, the raw classification logit."""
        self.set_field(format_score(value), 'pred_logit', dtype=torch.Tensor)
        return self

    def _set_pixel_field(self, container: str, name: str,
                         value: Union[torch.Tensor, np.ndarray]
                         ) -> 'DeepfakeDataSample':
        """Store a 1×h×w map in ``gt_fields`` or ``pred_fields``."""
        if isinstance(value, np.ndarray):
            value = torch.from_numpy(value)
        if not isinstance(value, torch.Tensor):
            raise TypeError(f'`{name}` must be a tensor or an array, '
                            f'but got {type(value)}.')
        if value.ndim == 2:
            value = value[None]
        if value.ndim != 3:
            raise ValueError(f'`{name}` must be h×w or 1×h×w, but got shape '
                             f'{tuple(value.shape)}.')
        if container not in self:
            self.set_field(PixelData(), container, dtype=PixelData)
        getattr(self, container).set_data({name: value.float()})
        return self

    def set_gt_heatmap(self, value) -> 'DeepfakeDataSample':
        """Set ``gt_fields.heatmap``."""
        return self._set_pixel_field('gt_fields', 'heatmap', value)

    def set_gt_field(self, name: str, value) -> 'DeepfakeDataSample':
        """Set the target map ``gt_fields.<name>`` (``consistency``,
        ``boundary``, ...), checked and stored as 1×h×w float."""
        return self._set_pixel_field('gt_fields', name, value)

    def set_pred_heatmap(self, value) -> 'DeepfakeDataSample':
        """Set ``pred_fields.heatmap``."""
        return self._set_pixel_field('pred_fields', 'heatmap', value)

    @property
    def gt_fields(self) -> PixelData:
        """PixelData: the ground-truth maps."""
        return self._gt_fields

    @gt_fields.setter
    def gt_fields(self, value: PixelData) -> None:
        self.set_field(value, '_gt_fields', dtype=PixelData)

    @gt_fields.deleter
    def gt_fields(self) -> None:
        del self._gt_fields

    @property
    def pred_fields(self) -> PixelData:
        """PixelData: the predicted maps."""
        return self._pred_fields

    @pred_fields.setter
    def pred_fields(self, value: PixelData) -> None:
        self.set_field(value, '_pred_fields', dtype=PixelData)

    @pred_fields.deleter
    def pred_fields(self) -> None:
        del self._pred_fields


def _to_numpy_state(element) -> Tuple[dict, List[str], Dict[str, tuple]]:
    """The ``__dict__`` of a data element with its tensors as arrays.

    Nested :class:`PixelData` (``gt_fields``, ``pred_fields``, where the
    large maps are) are converted too.
    """
    state = dict(element.__dict__)
    tensors, nested = [], {}
    for k, v in state.items():
        if isinstance(v, torch.Tensor):
            state[k] = v.numpy()
            tensors.append(k)
        elif isinstance(v, PixelData):
            nested[k] = _to_numpy_state(v)
            state[k] = None
    return state, tensors, nested


def _from_numpy_state(cls, state: dict, tensors: List[str],
                      nested: Dict[str, tuple]):
    """Rebuild a data element from :func:`_to_numpy_state`."""
    element = cls.__new__(cls)
    for k in tensors:
        state[k] = torch.from_numpy(state[k])
    for k, sub in nested.items():
        state[k] = _from_numpy_state(PixelData, *sub)
    element.__dict__.update(state)
    return element


def _reduce_datasample(data_sample: DeepfakeDataSample):
    """Reduce a DeepfakeDataSample to numpy arrays for pickling."""
    return _rebuild_datasample, _to_numpy_state(data_sample)


def _rebuild_datasample(state: dict, tensors: List[str],
                        nested: Dict[str, tuple]) -> DeepfakeDataSample:
    """Rebuild a DeepfakeDataSample reduced by :func:`_reduce_datasample`."""
    return _from_numpy_state(DeepfakeDataSample, state, tensors, nested)


# Due to the multi-processing strategy of PyTorch, every tensor in the
# DeepfakeDataSample is transferred through a file descriptor when the
# dataloader hands samples between processes, which can exhaust the
# ``ulimit -n`` limit. Converting the tensors to numpy arrays for the
# transfer avoids this (mmpretrain's DataSample work-around, extended to
# the tensors inside the ``gt_fields`` / ``pred_fields`` PixelData).
ForkingPickler.register(DeepfakeDataSample, _reduce_datasample)
