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
mkdir -p "$out"
profiles="$(mktemp -d /tmp/astroloc-qgis-profile.XXXXXX)"
trap 'rm -rf "$profiles"' EXIT
export PATH=/usr/local/bin:/usr/bin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
sample="$(/usr/bin/python3 -m tests.helpers.qgis_sample "$out")"
index="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["index"])' "$sample")"
/usr/bin/python3 -m tests.helpers.batch_photos "$out/photos" 24 320 240 > /dev/null
source tools/qgis_profile.sh
write_qgis_profile "$profiles" "$index"
log="$out/drive.log"
: > "$log"
export QGIS_PLUGINPATH="$repo" ASTROLOC_SAMPLE="$sample" ASTROLOC_FOLDER="$repo/$out/photos"
export ASTROLOC_SCREENSHOT="$shot" ASTROLOC_DRIVE_LOG="$log" HOME="$profiles" XDG_RUNTIME_DIR="$profiles"
set +e
timeout 480 xvfb-run -a -s "-screen 0 1600x1000x24" \
  qgis --nologo --noversioncheck --profiles-path "$profiles" --code "$repo/tools/qgis_drive_batch.py" \
  > "$out/qgis.stdout" 2>&1
rc=$?
set -e
cat "$log"
if [ $rc -ne 0 ] || [ ! -s "$shot" ]; then
  echo "ERROR: batch screenshot failed (exit $rc); see $out/qgis.stdout and $log" >&2
  exit 1
fi
echo "saved $shot"
