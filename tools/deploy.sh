#!/usr/bin/env bash
# `make deploy`: link the plugin from this checkout into a QGIS profile (development).
# QGIS then loads the working tree; restart QGIS (or use Plugin Reloader) after edits.
#   PROFILE=default QGIS_PROFILES=~/.local/share/QGIS/QGIS3/profiles bash tools/deploy.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
profiles="${QGIS_PROFILES:-$HOME/.local/share/QGIS/QGIS3/profiles}"
plugins="$profiles/${PROFILE:-default}/python/plugins"
target="$plugins/astroloc_qgis"
mkdir -p "$plugins"
if [ -e "$target" ] && [ ! -L "$target" ]; then
  echo "ERROR: $target exists and is not a link (an installed copy?). Remove it first." >&2
  exit 1
fi
ln -sfn "$repo/astroloc_qgis" "$target"
echo "linked $target -> $repo/astroloc_qgis"
echo "enable it in QGIS: Plugins > Manage and Install Plugins > Installed > AstroLoc"
