# Copyright (c) laanet contributors. All rights reserved.
"""Shared pytest fixtures."""
import pytest
from mmengine import DefaultScope


@pytest.fixture(autouse=True)
def _isolated_default_scope():
    """Run each test without a default scope left over by another test."""
    saved = dict(DefaultScope._instance_dict)
    yield
    DefaultScope._instance_dict.clear()
    DefaultScope._instance_dict.update(saved)
