# Copyright (c) laanet contributors. All rights reserved.
"""The shared video item and listing helpers of the data set sources.

Owns :class:`VideoItem` (one video to extract), :class:`SplitFileError`
and the folder listings every source uses. A missing or malformed
split/label file raises :class:`SplitFileError` before any work starts;
a video that the split file names but that is missing on disk is kept,
so the extraction reports it by name.
"""
import os
import os.path as osp
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional

from laanet.utils.media import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS


class SplitFileError(ValueError):
    """A split or label file is missing or malformed."""


@dataclass
class VideoItem:
    """One video to extract.

    Attributes:
        video_path (str): The video file.
        video_id (str): Unique id across the dataset, e.g.
            ``'Deepfakes/000_003'``.
        rel_dir (str): Output folder of its frames, relative to the output
            directory.
        label (int): 0 real, 1 fake.
        manipulation (str): ``'original'``, ``'Deepfakes'``, ...
        mask_path (str, optional): The mask video, when there is one.
    """
    video_path: str
    video_id: str
    rel_dir: str
    label: int
    manipulation: str
    mask_path: Optional[str] = None

    def to_dict(self) -> dict:
        """Return the fields as a dict."""
        return asdict(self)


def list_video_files(video_dir: str) -> List[str]:
    """Video files directly inside a folder, sorted by name.

    Args:
        video_dir (str): The folder.

    Returns:
        list[str]: Paths of files with a known video extension.

    Raises:
        SplitFileError: If the folder does not exist.
    """
    if not osp.isdir(video_dir):
        raise SplitFileError(f'Video folder not found: {video_dir}')
    return [
        osp.join(video_dir, f) for f in sorted(os.listdir(video_dir))
        if f.lower().endswith(VIDEO_EXTENSIONS)
    ]


def _stem(path: str) -> str:
    return osp.splitext(osp.basename(path))[0]


def _check_unique(items: List[VideoItem]) -> List[VideoItem]:
    seen: Dict[str, str] = {}
    for it in items:
        if it.video_id in seen:
            raise SplitFileError(
                f'Two videos map to the same id {it.video_id!r}: '
                f'{seen[it.video_id]} and {it.video_path}')
        seen[it.video_id] = it.video_path
    return items


def list_image_sequences(root: str) -> List[str]:
    """Leaf folders under ``root`` that hold images, sorted.

    Args:
        root (str): Folder to search.

    Returns:
        list[str]: Folders (relative to ``root``) with at least one image.
    """
    seqs = []
    for dirpath, _, files in os.walk(root):
        if any(f.lower().endswith(IMAGE_EXTENSIONS) for f in files):
            seqs.append(osp.relpath(dirpath, root).replace(os.sep, '/'))
    return sorted(seqs)
