#!/usr/bin/env bash
# `make demo`: index the bundled sample imagery, localize the bundled sample photo with the
# engine command line and print the result, check it against the photo's ground truth, then
# show it in QGIS (or, without a display, render the same map to a PNG).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
PY=.venv-engine/bin/python
out="${OUT:-out}/demo"
index="$out/index"
photo=resources/sample/photo_naip_2020_oblique.jpg
mkdir -p "$out"

if [ ! -f "$index/manifest.json" ]; then
  echo "== building the index over resources/sample/naip_nd_2009.tif"
  $PY -m astroloc_qgis.engine index build resources/sample/naip_nd_2009.tif --out "$index"
fi
$PY -m astroloc_qgis.engine index info "$index"

echo "== localizing $photo (a 2020 photo against the 2009 index)"
# exit 1 means "not found": the check below reports it
$PY -m astroloc_qgis.engine locate "$photo" --index "$index" --geojson -q > "$out/result.geojson" || true
echo "result: $out/result.geojson (open it in QGIS as is)"
$PY -m tools.demo_check "$out/result.geojson" resources/sample/photo_naip_2020_oblique.json

echo "== QGIS"
bash tools/demo_qgis.sh
