# Sourced by tools/demo_qgis.sh and tools/qgis_shot.sh: a fresh QGIS profile (your own stays
# untouched) with the plugin enabled and pointed at the engine and an index.
#   write_qgis_profile PROFILES_DIR INDEX_DIR
# QGIS started with `--profiles-path P` reads P/profiles/default/QGIS/QGIS3.ini.
write_qgis_profile() {
  local profiles=$1 index=$2 repo
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  mkdir -p "$profiles/profiles/default/QGIS"
  cat > "$profiles/profiles/default/QGIS/QGIS3.ini" <<INI
[PythonPlugins]
astroloc_qgis=true

[astroloc]
engine_python=$repo/.venv-engine/bin/python
index_path=$index
candidates=5

[locale]
overrideFlag=true
userLocale=en_US

[app]
projections\promptWhenMultipleTransformsExist=false

[qgis]
checkVersion=false
showTips324=false
INI
}
