#!/usr/bin/env bash
# `make screenshot-coverage`: the real QGIS under Xvfb with a synthetic 200,000-tile index
# (tests/helpers/synth_tiles.py) chosen in the AstroLoc panel: out/screenshot_coverage/coverage.png
# zoomed out (the generalized coverage), coverage_zoomed.png zoomed in (the tiles). Look at them.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="${OUT:-out}/screenshot_coverage"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
index="$out/index"
[ -f "$index/manifest.json" ] || .venv-engine/bin/python -m tests.helpers.synth_tiles "$index" --tiles "${TILES:-200000}"
source tools/qgis_shot.sh
profiles="$(mktemp -d /tmp/astroloc-qgis-profile.XXXXXX)"
trap 'rm -rf "$profiles"' EXIT
export PATH=/usr/local/bin:/usr/bin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
write_qgis_profile "$profiles" "$index"
sample="{\"index\": \"$index\"}"
log="$out/drive.log"
: > "$log"
shot_run qgis_drive_coverage.py "$out" "$out/coverage.png" screenshot-coverage
