# Copyright (c) laanet contributors. All rights reserved.
"""The media file types laanet reads, by extension.

Owns :data:`IMAGE_EXTENSIONS` and :data:`VIDEO_EXTENSIONS`. Inference
(:mod:`laanet.apis.media_io`) and data preparation
(:mod:`laanet.preprocessing`: video listing and image-sequence
frames) both use them, so a file the extraction lists is a file inference
accepts, and the other way round. Extensions are lower case; match them
with ``name.lower().endswith(...)``.
"""

#: Still images (decoded with Pillow for inference, OpenCV for frames).
IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp',
                    '.pgm', '.ppm', '.pnm')
#: Video containers (decoded with OpenCV / FFmpeg).
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg',
                    '.mpeg', '.wmv', '.flv', '.3gp', '.ts')
