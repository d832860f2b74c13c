#!/usr/bin/env bash
# `make i18n`: collect the plugin's user-facing strings into i18n/astroloc_<lang>.ts (pylupdate5,
# keeps existing translations) and compile them to .qm (lrelease). Translate the .ts files with
# Qt Linguist (`linguist i18n/astroloc_fr.ts`). The engine has no Qt strings: it is not scanned.
set -euo pipefail
cd "$(dirname "$0")/.."
LANGS=${LANGS:-fr}
for tool in pylupdate5 lrelease; do
  command -v "$tool" >/dev/null || { echo "ERROR: $tool missing (apt-get install pyqt5-dev-tools qttools5-dev-tools)" >&2; exit 1; }
done
mapfile -t sources < <(find astroloc_qgis -name '*.py' -not -path '*/engine/*' -not -path '*/__pycache__/*' | sort)
for lang in $LANGS; do
  pylupdate5 -noobsolete "${sources[@]}" -ts "i18n/astroloc_${lang}.ts" 2>&1 | grep -v DeprecationWarning | grep -v 'getdefaultlocale' || true
  lrelease -silent "i18n/astroloc_${lang}.ts" -qm "i18n/astroloc_${lang}.qm"
  echo "i18n/astroloc_${lang}.qm: $(grep -c '<translation>' "i18n/astroloc_${lang}.ts") translated, $(grep -c 'type="unfinished"' "i18n/astroloc_${lang}.ts") unfinished"
done
