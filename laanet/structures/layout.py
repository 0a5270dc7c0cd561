# Copyright (c) laanet contributors. All rights reserved.
"""The data layout contract: views, (real, fake) pairs and the clip axis.

Every package that moves image data between the pipeline and the model
reads its layout here, so nothing has to guess it from a tensor's rank.

**Samples.** A method declares what one sample is, the way mmaction's
``format_shape`` does (:data:`LAYOUTS`):

- ``'image'``: one face crop, ``(C, H, W)``; a batch is ``(N, C, H, W)``;
- ``'clip'``: ``T`` consecutive face crops of one track, ``(C, T, H, W)``;
  a batch is ``(N, C, T, H, W)``.

The declaration lives where the batch enters the model: the data
preprocessor's ``layout`` argument
(``model.data_preprocessor.layout='clip'`` in a config). The preprocessor
refuses a batch whose rank does not fit its declaration, with an error
that says what to declare.

**Pairs.** Training may show a real frame (or clip) and a fake synthesised
from it as one item: two *views*. In the pipeline the real view uses the
plain keys (``img``, ``gt_label``, ...), the fake one the same keys with
:data:`FAKE_SUFFIX`. The packer declares a pair by giving an item a *list*
of data samples, ``[real, fake]``, and stacking the two views' inputs on
a new first axis ((2, C, H, W) or (2, C, T, H, W)); a single sample has
one data sample. :func:`is_pair_item` reads that declaration, so a
(2, C, H, W) pair and a (C, T, H, W) clip are never confused.
``laanet.pair_collate`` flattens B pairs into 2B samples (with a joint
shuffle); a data preprocessor that still receives pairs raises an error
naming it (:data:`PAIR_COLLATE_HINT`). After the collate a pair batch has
the layout of its views.

**Fakes made online** are named by the synthesis that makes them
(:func:`fake_video_id`), so that video-level metrics never average a real
video with its fakes.
"""
from typing import Any, Mapping, Optional

#: Key suffix of the fake view of a pair.
FAKE_SUFFIX = '_fake'
#: Key suffixes of the two views of a pair, real first.
VIEW_SUFFIXES = ('', FAKE_SUFFIX)
#: What to tell someone who feeds un-flattened pairs to the model.
PAIR_COLLATE_HINT = ("use collate_fn=dict(type='laanet.pair_collate') in the "
                     'dataloader config to flatten (real, fake) pairs')

#: The sample layouts: name -> the dimensions of a collated batch
#: (N batch, C channels, T frames, H height, W width).
LAYOUTS = {'image': 'NCHW', 'clip': 'NCTHW'}


def check_layout(layout: str) -> str:
    """Return ``layout`` if it is a known sample layout.

    Args:
        layout (str): ``'image'`` or ``'clip'``.

    Returns:
        str: ``layout``.

    Raises:
        ValueError: Naming the known layouts.
    """
    if layout not in LAYOUTS:
        raise ValueError(f'Unknown data layout {layout!r}; choose one of '
                         f'{sorted(LAYOUTS)} (a (real, fake) pair has the '
                         'layout of its views).')
    return layout


def model_layout(model) -> str:
    """The sample layout a detector (or an ONNX backend) declares:
    ``'image'`` or ``'clip'`` (its own ``layout``, else its data
    preprocessor's, else ``'image'``)."""
    layout = getattr(model, 'layout', None)
    if layout is None:
        layout = getattr(model.data_preprocessor, 'layout', 'image')
    return layout


def batch_ndim(layout: str) -> int:
    """The rank of a collated batch of ``layout`` (4 for images, 5 for
    clips)."""
    return len(LAYOUTS[check_layout(layout)])


def is_pair_item(item: Mapping[str, Any]) -> bool:
    """Whether a packed item is a (real, fake) pair.

    A pair item carries a list of data samples, one per view (see the
    module docstring); a single sample carries one data sample.

    Args:
        item (Mapping): ``inputs`` and ``data_samples`` of one item.

    Returns:
        bool: True for a pair.
    """
    return isinstance(item.get('data_samples'), (list, tuple))


def fake_video_id(video_id: Optional[str],
                  manipulation: str) -> Optional[str]:
    """The video id of a fake synthesised online from a real video.

    Args:
        video_id (str, optional): The real video's id.
        manipulation (str): The synthesis, e.g. ``'SBI'``.

    Returns:
        str | None: ``'<manipulation>/<video_id>'`` (None stays None).
    """
    return None if video_id is None else f'{manipulation}/{video_id}'
