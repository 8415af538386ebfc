#!/bin/sh
# The README screenshot: the real editor on a virtual X server (apt-get install xvfb libxcb-cursor0).
set -e
cd "$(dirname "$0")/.."
exec xvfb-run --auto-servernum --server-args="-screen 0 1600x960x24 -dpi 96" \
    env QT_QPA_PLATFORM=xcb python scripts/screenshot.py "$@"
