#!/usr/bin/env bash
# `make screenshot`: the real QGIS under Xvfb with the plugin from this checkout; the sample
# photo (the 2020 near-nadir sample photo; PHOTO= another) is dropped on the map, the real engine
# localizes it, docs/screenshot_panel.png is saved. PRIOR='{"mode": "near", ...}' sets the panel's search
# area first (tools/qgis_drive.py); SKIP_REVIEW=1 leaves out the review screenshot. COMPARE=swipe
# makes the compare screenshot instead (the reference imagery, the swipe line; `make screenshot`
# takes it too, as docs/screenshot_compare.png, unless SKIP_COMPARE=1).
# Look at the PNG before committing it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="${OUT:-out}/screenshot"
shot="${SHOT:-$repo/docs/screenshot_panel.png}"
mkdir -p "$out"
profiles="$(mktemp -d /tmp/astroloc-qgis-profile.XXXXXX)"
trap '[ -n "${KEEP_PROFILE:-}" ] || rm -rf "$profiles"' EXIT

# Debian's python, not pyenv's: QGIS's embedded Python must not pick up another stdlib.
export PATH=/usr/local/bin:/usr/bin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
sample="$(/usr/bin/python3 -m tests.helpers.qgis_sample "$out" "${PHOTO-}")"  # PHOTO=path, or nadir (a same-year crop of the index imagery); default: the 2020 sample photo
echo "sample: $sample"
index="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["index"])' "$sample")"

source tools/qgis_profile.sh
write_qgis_profile "$profiles" "$index"

log="$out/drive.log"
: > "$log"
export ASTROLOC_PRIOR="${PRIOR:-}" ASTROLOC_COMPARE="${COMPARE:-}"
export QGIS_PLUGINPATH="$repo" ASTROLOC_SAMPLE="$sample" ASTROLOC_SCREENSHOT="$shot" ASTROLOC_DRIVE_LOG="$log"
export HOME="$profiles" XDG_RUNTIME_DIR="$profiles"
set +e
timeout 480 xvfb-run -a -s "-screen 0 1600x1000x24" \
  qgis --nologo --noversioncheck --profiles-path "$profiles" --code "$repo/tools/qgis_drive.py" \
  > "$out/qgis.stdout" 2>&1
rc=$?
set -e
cat "$log"
if [ $rc -ne 0 ] || [ ! -s "$shot" ]; then
  echo "ERROR: screenshot failed (exit $rc); see $out/qgis.stdout and $log" >&2
  exit 1
fi
echo "saved $shot"
[ -n "${COMPARE:-}" ] && exit 0

# Compare (issue 15): the photo's reference imagery, the photo left of the swipe line.
[ -n "${SKIP_COMPARE:-}" ] || COMPARE=swipe SKIP_REVIEW=1 SHOT="$repo/docs/screenshot_compare.png" bash "$0"

# Review mode (issue 6): a session localized with the real engine, reviewed with the canvas keys.
[ -n "${SKIP_REVIEW:-}" ] || /usr/bin/python3 tools/screenshot_review.py "$repo/docs/screenshot_review.png"
