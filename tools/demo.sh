#!/usr/bin/env bash
# `make demo`: index the bundled sample imagery, localize the bundled sample photos with the
# engine command line and print the result, check it against the photo's ground truth, then
# show it in QGIS (or, without a display, render the same map to a PNG).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
PY=.venv-engine/bin/python
out="${OUT:-out}/demo"
index="$out/index"
mkdir -p "$out"

if [ ! -f "$index/manifest.json" ]; then
  echo "== building the index over resources/sample/naip_nd_2009.tif"
  $PY -m astroloc_qgis.engine index build resources/sample/naip_nd_2009.tif --out "$index"
fi
$PY -m astroloc_qgis.engine index info "$index"

# Two 2020 photos against the 2009 index: a near-nadir one the engine places, and a 25-degree
# oblique one it does not place yet (docs/LOCATE.md): the second shows an honest "not_found".
for view in nadir oblique; do
  photo=resources/sample/photo_naip_2020_$view.jpg
  echo "== localizing $photo (a 2020 photo against the 2009 index)"
  # exit 1 means "not found": the check below reports it
  $PY -m astroloc_qgis.engine locate "$photo" --index "$index" --geojson -q > "$out/result_$view.geojson" || true
  echo "result: $out/result_$view.geojson (open it in QGIS as is)"
  if [ $view = nadir ]; then
    $PY -m tools.demo_check "$out/result_$view.geojson" "${photo%.jpg}.json"
  else
    $PY -m tools.demo_check "$out/result_$view.geojson" "${photo%.jpg}.json" || echo "(known limit: see docs/LOCATE.md)"
  fi
done

echo "== QGIS"
bash tools/demo_qgis.sh
