#!/usr/bin/env bash
# `make screenshot`: the real QGIS under Xvfb with the plugin from this checkout; the sample
# photo (the 2020 near-nadir sample photo; PHOTO= another) is dropped on the map, the real engine
# localizes it, docs/screenshot_panel.png is saved. PRIOR='{"mode": "near", ...}' sets the panel's search
# area first (tools/qgis_drive.py); SKIP_REVIEW=1 leaves out the review screenshot. COMPARE=swipe
# makes the compare screenshot instead (the reference imagery, the swipe line; `make screenshot`
# takes it too, as docs/screenshot_compare.png, unless SKIP_COMPARE=1). KIND=drone etc. sets the
# panel's kind of photo first (`make screenshot-kinds`).
# Look at the PNG before committing it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="${OUT:-out}/screenshot"
shot="${SHOT:-$repo/docs/screenshot_panel.png}"
source tools/qgis_shot.sh
shot_prepare "$out" "${PHOTO-}"  # PHOTO=path, or nadir (a same-year crop of the index imagery); default: the 2020 sample photo
echo "sample: $sample"
export ASTROLOC_PRIOR="${PRIOR:-}" ASTROLOC_COMPARE="${COMPARE:-}" ASTROLOC_KIND="${KIND:-}"
shot_run qgis_drive.py "$out" "$shot" screenshot
[ -n "${COMPARE:-}" ] && exit 0

# Compare (issue 15): the photo's reference imagery, the photo left of the swipe line.
[ -n "${SKIP_COMPARE:-}" ] || COMPARE=swipe SKIP_REVIEW=1 SHOT="$repo/docs/screenshot_compare.png" bash "$0"

# Review mode (issue 6): a session localized with the real engine, reviewed with the canvas keys.
[ -n "${SKIP_REVIEW:-}" ] || /usr/bin/python3 tools/screenshot_review.py "$repo/docs/screenshot_review.png"
