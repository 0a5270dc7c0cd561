# Copyright (c) laanet contributors. All rights reserved.
"""Codecs: encode annotations into training targets (mmpose-style)."""
