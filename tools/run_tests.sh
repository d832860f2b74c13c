#!/usr/bin/env bash
# Runs every test suite; any suite that fails or runs no test (pytest exit 5) fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
run() {  # name, command...
  local name=$1; shift
  echo "=== $name: $*"
  "$@"; local r=$?
  if [ $r -eq 5 ]; then echo "ERROR: $name ran no test" >&2; rc=1
  elif [ $r -ne 0 ]; then echo "ERROR: $name failed (exit $r)" >&2; rc=1; fi
}
run lint .venv-engine/bin/ruff check astroloc_qgis tests tools
run engine-unit .venv-engine/bin/python -m pytest -q -p no:cacheprovider tests/unit
# QGIS tests: Debian's QGIS through pytest-qgis, offscreen (no display needed).
export QT_QPA_PLATFORM=offscreen PROJ_DATA=/usr/share/proj
run qgis .venv-qgis/bin/python -m pytest -q -p no:cacheprovider tests/qgis
exit $rc
