# Copyright (c) laanet contributors. All rights reserved.
