# Copyright (c) laanet contributors. All rights reserved.
"""Version checks for the OpenMMLab packages laanet is built on."""
from typing import Optional

MMENGINE_MINIMUM_VERSION = '0.10.0'
MMENGINE_MAXIMUM_VERSION = '1.0.0'
MMCV_MINIMUM_VERSION = '2.0.0'
MMCV_MAXIMUM_VERSION = '2.4.0'

INSTALL_HINT = ('Install the versions laanet is tested with: '
                '`pip install "mmengine==0.10.7" "mmcv-lite==2.2.0"` '
                '(or simply `pip install -e .` in the laanet repository).')


def _digit_version(version: str) -> tuple:
    """Turn ``'0.10.7'`` or ``'2.2.0rc1'`` into a comparable tuple."""
    from mmengine.utils import digit_version
    return digit_version(version)


def check_mm_versions(mmengine_version: Optional[str] = None,
                      mmcv_version: Optional[str] = None) -> None:
    """Check that mmengine and mmcv are inside the supported ranges.

    Args:
        mmengine_version (str, optional): The mmengine version to check.
            Defaults to the installed one.
        mmcv_version (str, optional): The mmcv version to check. Defaults
            to the installed one (``mmcv-lite`` installs the ``mmcv``
            package).

    Raises:
        ImportError: If a version is outside its supported range. The
            message names the installed version, the range and the command
            that installs a supported version.
    """
    if mmengine_version is None:
        import mmengine
        mmengine_version = mmengine.__version__
    if mmcv_version is None:
        try:
            import mmcv
        except ImportError as e:
            raise ImportError(
                'laanet needs mmcv (pure-Python `mmcv-lite` is enough), but '
                f'it is not installed. {INSTALL_HINT}') from e
        mmcv_version = mmcv.__version__

    checks = (
        ('mmengine', mmengine_version, MMENGINE_MINIMUM_VERSION,
         MMENGINE_MAXIMUM_VERSION),
        ('mmcv', mmcv_version, MMCV_MINIMUM_VERSION, MMCV_MAXIMUM_VERSION),
    )
    for name, version, lowest, highest in checks:
        if not (_digit_version(lowest) <= _digit_version(version) <
                _digit_version(highest)):
            raise ImportError(
                f'{name}=={version} is installed, but laanet needs '
                f'{lowest} <= {name} < {highest}. {INSTALL_HINT}')
