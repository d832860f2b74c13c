"""`make screenshot` (second part): docs/screenshot_review.png, the real QGIS in review mode.

1. cuts a few "photos" out of the sample imagery (plus one from elsewhere that cannot match);
2. builds a tile index and localizes the photos into a review session with the real engine,
   through the Processing algorithms and `qgis_process` (astroloc:build_index, astroloc:localize_photos);
3. starts the real QGIS under Xvfb, opens the session in the Review tab, takes a few decisions
   with the canvas keys (tools/qgis_drive_review.py) and saves the screenshot.

    /usr/bin/python3 tools/screenshot_review.py [OUT_PNG]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENGINE_PYTHON = REPO / ".venv-engine" / "bin" / "python"
SHARED = REPO.parent / "shared" / "data"
QGIS_PROCESS = "/usr/bin/qgis_process.bin"  # the /usr/bin/qgis_process wrapper fails on Debian


def sources() -> list[Path]:
    sample = REPO / "resources" / "sample"
    rasters = (
        sorted(p for p in sample.glob("*.tif") if "photo" not in p.name.lower()) if sample.is_dir() else []
    )
    return rasters or sorted((SHARED / "naip_north_dakota").glob("*.tif"))[:1]


def make_photos(source: Path, out: Path) -> None:
    from osgeo import gdal

    out.mkdir(parents=True, exist_ok=True)
    ds = gdal.Open(str(source))
    w, h = ds.RasterXSize, ds.RasterYSize
    windows = [
        (0.30, 0.25, 0.40),
        (0.05, 0.05, 0.35),
        (0.55, 0.50, 0.40),
        (0.10, 0.55, 0.30),
        (0.60, 0.10, 0.30),
    ]
    for i, (fx, fy, fs) in enumerate(windows):
        size = int(min(w, h) * fs)
        gdal.Translate(
            str(out / f"photo_{i + 1}.jpg"),
            ds,
            format="JPEG",
            bandList=[1, 2, 3],
            srcWin=[int(w * fx), int(h * fy), int(size * 4 / 3), size],
            creationOptions=["QUALITY=90"],
        )
    elsewhere = sorted((SHARED / "landsat_rmnp_colorado").glob("*.tif"))
    if elsewhere:  # a photo of another place: the index cannot hold it
        other = gdal.Open(str(elsewhere[0]))
        gdal.Translate(
            str(out / "photo_elsewhere.jpg"),
            other,
            format="JPEG",
            bandList=[1, 2, 3] if other.RasterCount >= 3 else [1],
            srcWin=[0, 0, min(400, other.RasterXSize), min(300, other.RasterYSize)],
            scaleParams=[[]],
            outputType=gdal.GDT_Byte,
            creationOptions=["QUALITY=90"],
        )
    for sidecar in out.glob("*.aux.xml"):
        sidecar.unlink()  # photos carry no georeferencing


def qgis_process(env: dict[str, str], alg: str, **params: str) -> dict:
    cmd = [QGIS_PROCESS, "--json", "run", alg, "--", *(f"{k}={v}" for k, v in params.items())]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"{alg} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return json.loads(out.stdout[out.stdout.index("{") :])["results"]


def main() -> int:
    shot = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "docs" / "screenshot_review.png").resolve()
    work = Path(tempfile.mkdtemp(prefix="astroloc-review-shot-"))
    keep = bool(os.environ.get("KEEP_PROFILE"))
    try:
        src = sources()
        if not src:
            raise SystemExit("no sample imagery (resources/sample or ../shared/data/naip_north_dakota)")
        make_photos(src[0], work / "photos")
        plugins = work / "plugins"
        plugins.mkdir()
        (plugins / "astroloc_qgis").symlink_to(REPO / "astroloc_qgis")
        (work / "runtime").mkdir(mode=0o700)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(work),
            "QGIS_PLUGINPATH": str(plugins),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(work / "runtime"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        subprocess.run(
            [QGIS_PROCESS, "plugins", "enable", "astroloc_qgis"],
            env=env,
            capture_output=True,
            check=True,
            timeout=120,
        )
        index, session = work / "index", work / "review-session.gpkg"
        tiles = qgis_process(
            env,
            "astroloc:build_index",
            SOURCES=str(src[0]),
            OUTPUT=str(index),
            ENGINE_PYTHON=str(ENGINE_PYTHON),
        )["TILES"]
        located = qgis_process(
            env,
            "astroloc:localize_photos",
            FOLDER=str(work / "photos"),
            INDEX=str(index),
            K="5",
            SESSION=str(session),
            REVIEWER="analyst",
            ENGINE_PYTHON=str(ENGINE_PYTHON),
        )
        print(f"index: {tiles} tiles; localized: {located}")

        profile = work / "profiles" / "default" / "QGIS"
        profile.mkdir(parents=True)
        (profile / "QGIS3.ini").write_text(
            "[PythonPlugins]\nastroloc_qgis=true\n\n"
            f"[astroloc]\nengine_python={ENGINE_PYTHON}\nindex_path={index}\nreviewer=analyst\n\n"
            "[locale]\noverrideFlag=true\nuserLocale=en_US\n\n"
            "[app]\nprojections\\promptWhenMultipleTransformsExist=false\n\n"
            "[qgis]\ncheckVersion=false\nshowTips324=false\n"
        )
        log = work / "drive.log"
        qenv = {
            **env,
            "ASTROLOC_SESSION": str(session),
            "ASTROLOC_BASEMAP": str(src[0]),
            "ASTROLOC_SCREENSHOT": str(shot),
            "ASTROLOC_DRIVE_LOG": str(log),
        }
        qenv.pop("QT_QPA_PLATFORM")
        run = subprocess.run(
            [
                "timeout",
                "300",
                "xvfb-run",
                "-a",
                "-s",
                "-screen 0 1600x1000x24",
                "qgis",
                "--nologo",
                "--noversioncheck",
                "--profiles-path",
                str(work / "profiles"),
                "--code",
                str(REPO / "tools" / "qgis_drive_review.py"),
            ],
            env=qenv,
            capture_output=True,
            text=True,
        )
        print(log.read_text() if log.exists() else run.stdout[-3000:] + run.stderr[-3000:])
        if run.returncode != 0 or not shot.is_file():
            print(f"ERROR: review screenshot failed (exit {run.returncode})", file=sys.stderr)
            return 1
        print(f"saved {shot}")
        return 0
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
