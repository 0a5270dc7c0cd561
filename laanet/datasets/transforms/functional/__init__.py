# Copyright (c) laanet contributors. All rights reserved.
"""Array helpers of the transforms (no registered pipeline step here)."""
