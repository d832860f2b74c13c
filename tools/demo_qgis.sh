#!/usr/bin/env bash
# The QGIS part of `make demo`: open QGIS with the plugin from this checkout, drop the sample
# photo on the map and let the real engine localize it. QGIS stays open for you to explore.
# Without a display (no $DISPLAY, or ASTROLOC_HEADLESS=1) the same layers are rendered to
# out/qgis-demo/demo_map.png instead.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
out="$(realpath -m "${OUT:-out}")/qgis-demo"
mkdir -p "$out"
# Debian's python, not pyenv's: QGIS's embedded Python must not pick up another stdlib.
export PATH=/usr/local/bin:/usr/bin:/bin
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV

if [ -z "${DISPLAY:-}" ] || [ -n "${ASTROLOC_HEADLESS:-}" ]; then
  echo "no display: rendering the plugin's layers to $out/demo_map.png"
  QT_QPA_PLATFORM=offscreen /usr/bin/python3 -m tools.render_demo "$out"
  exit 0
fi

sample="$(/usr/bin/python3 -m tests.helpers.qgis_sample "$out")"
index="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["index"])' "$sample")"
profiles="$out/profiles"  # a demo profile: your own QGIS profile stays untouched
source tools/qgis_profile.sh
[ -f "$profiles/profiles/default/QGIS/QGIS3.ini" ] || write_qgis_profile "$profiles" "$index"
echo "opening QGIS (profile $profiles); the sample photo is dropped on the map once it starts"
QGIS_PLUGINPATH="$repo" ASTROLOC_SAMPLE="$sample" ASTROLOC_DRIVE_LOG="$out/drive.log" \
  qgis --nologo --noversioncheck --profiles-path "$profiles" --code "$repo/tools/qgis_drive.py"
