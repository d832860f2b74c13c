#!/usr/bin/env bash
# `make screenshot-batch`: the real QGIS under Xvfb with the plugin from this checkout; a folder of
# 24 small photos cut from the sample imagery is dropped on the dock, the batch queue runs them
# through the real engine, and docs/screenshot_batch.png is saved after 3 are done (the queue,
# its progress and ETA visible in the Locate tab). Look at the PNG before committing it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="${OUT:-out}/screenshot_batch"
shot="${SHOT:-$repo/docs/screenshot_batch.png}"
source tools/qgis_shot.sh
shot_prepare "$out"
/usr/bin/python3 -m tests.helpers.batch_photos "$out/photos" 24 320 240 > /dev/null
export ASTROLOC_FOLDER="$(realpath -m "$out/photos")"  # OUT may be relative or absolute
shot_run qgis_drive_batch.py "$out" "$shot" "batch screenshot"
