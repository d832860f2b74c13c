# Sourced by tools/screenshot.sh and tools/screenshot_batch.sh, from the repository root with
# $repo set: the real QGIS under Xvfb with the plugin from this checkout and a fresh profile.
#   shot_prepare OUT_DIR [PHOTO]   Debian's python first; the sample (tests/helpers/qgis_sample.py)
#                                  in OUT_DIR: $sample (its JSON), $index; $profiles pointed at it
#                                  (removed on exit unless KEEP_PROFILE is set); $log emptied
#   shot_run DRIVER OUT_DIR SHOT WHAT   QGIS runs tools/DRIVER (the caller exports its ASTROLOC_*
#                                  first); the drive log printed; exits 1 unless SHOT was saved
source "$(dirname "${BASH_SOURCE[0]}")/qgis_profile.sh"

shot_prepare() {
  local out=$1
  mkdir -p "$out"
  profiles="$(mktemp -d /tmp/astroloc-qgis-profile.XXXXXX)"
  trap '[ -n "${KEEP_PROFILE:-}" ] || rm -rf "$profiles"' EXIT
  # Debian's python, not pyenv's: QGIS's embedded Python must not pick up another stdlib.
  export PATH=/usr/local/bin:/usr/bin:/bin
  unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
  sample="$(/usr/bin/python3 -m tests.helpers.qgis_sample "$out" "${2-}")"
  index="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["index"])' "$sample")"
  write_qgis_profile "$profiles" "$index"
  log="$out/drive.log"
  : > "$log"
}

shot_run() {
  local driver=$1 out=$2 shot=$3 what=$4 rc
  export QGIS_PLUGINPATH="$repo" ASTROLOC_SAMPLE="$sample" ASTROLOC_SCREENSHOT="$shot" ASTROLOC_DRIVE_LOG="$log"
  export HOME="$profiles" XDG_RUNTIME_DIR="$profiles"
  set +e
  timeout 480 xvfb-run -a -s "-screen 0 1600x1000x24" \
    qgis --nologo --noversioncheck --profiles-path "$profiles" --code "$repo/tools/$driver" \
    > "$out/qgis.stdout" 2>&1
  rc=$?
  set -e
  cat "$log"
  if [ $rc -ne 0 ] || [ ! -s "$shot" ]; then
    echo "ERROR: $what failed (exit $rc); see $out/qgis.stdout and $log" >&2
    exit 1
  fi
  echo "saved $shot"
}
