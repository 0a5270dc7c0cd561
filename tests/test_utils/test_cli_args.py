# Copyright (c) laanet contributors. All rights reserved.
import pytest

from laanet.utils.cli_args import demo_parser, inferencer_kwargs


@pytest.mark.parametrize('kind', ['image', 'video'])
def test_amp_option_reaches_the_inferencer(kind):
    parser = demo_parser(kind)
    plain = inferencer_kwargs(parser.parse_args(['a.mp4', 'c.py']))
    assert plain['amp'] is False
    amp = inferencer_kwargs(parser.parse_args(['a.mp4', 'c.py', '--amp']))
    assert amp['amp'] is True
