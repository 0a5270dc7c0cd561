# Copyright (c) laanet contributors. All rights reserved.
import pytest

import laanet
from laanet.utils import check_mm_versions
from laanet.version import parse_version_info


def test_version_string_and_info():
    assert isinstance(laanet.__version__, str)
    assert laanet.version_info == parse_version_info(laanet.__version__)
    assert parse_version_info('1.2.3') == (1, 2, 3)
    assert parse_version_info('0.2.0rc1') == (0, 2, 0, 'rc1')


def test_too_old_mmengine_is_rejected_with_install_hint():
    with pytest.raises(ImportError) as err:
        check_mm_versions(mmengine_version='0.7.4', mmcv_version='2.2.0')
    msg = str(err.value)
    assert 'mmengine==0.7.4' in msg
    assert '0.10.0 <= mmengine < 1.0.0' in msg
    assert 'pip install' in msg and 'mmengine==0.10.7' in msg


def test_too_new_mmcv_is_rejected():
    with pytest.raises(ImportError, match=r'mmcv==2\.4\.0 is installed'):
        check_mm_versions(mmengine_version='0.10.7', mmcv_version='2.4.0')


def test_boundaries():
    check_mm_versions(mmengine_version='0.10.0', mmcv_version='2.0.0')
    with pytest.raises(ImportError):
        check_mm_versions(mmengine_version='1.0.0', mmcv_version='2.2.0')
    with pytest.raises(ImportError):
        check_mm_versions(mmengine_version='0.10.7', mmcv_version='1.7.2')
