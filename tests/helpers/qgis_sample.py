"""The sample inputs of the QGIS demo, screenshot and plugin tests: an index, a photo, a base map.

Only the bundled resources/sample (NAIP North Dakota 2009 and two 2020 photos): the demo,
the screenshots and the tests never need ../shared. The index is built with the engine command
line, once.

    /usr/bin/python3 -m tests.helpers.qgis_sample OUT_DIR [PHOTO|nadir]   # prints index, photo, basemap
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENGINE_PYTHON = REPO / ".venv-engine" / "bin" / "python"
SAMPLE = REPO / "resources" / "sample"
TEST_DATA = REPO / "tests" / "data"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def index_sources() -> list[Path]:
    if SAMPLE.is_dir():
        manifest = SAMPLE / "sample.json"
        if manifest.is_file():
            listed = json.loads(manifest.read_text()).get("index_sources") or []
            if listed:
                return [SAMPLE / name for name in listed]
        rasters = sorted(
            p for p in SAMPLE.glob("*.tif") if "photo" not in p.name.lower() and "query" not in p.name.lower()
        )
        if rasters:
            return rasters
    raise RuntimeError(f"no sample imagery in {SAMPLE}: restore it with git or run `make sample-data`")


def sample_photo(out_dir: Path) -> Path:
    """The bundled demo photo: a rotated near-nadir 2020 view (the index is 2009)."""
    photo = SAMPLE / "photo_naip_2020_nadir.jpg"
    if not photo.is_file():
        raise RuntimeError(f"no sample photo in {SAMPLE}: restore it with git or run `make sample-data`")
    return photo


def nadir_photo(out_dir: Path) -> Path:
    """A plain JPEG cut from the first index source: a photo the engine surely places.

    The plugin tests use it: they test the plumbing (worker, tasks, layers), not accuracy,
    which the engine benchmarks measure.
    """
    return _crop(index_sources()[0], out_dir / "nadir_crop.jpg")


def _crop(source: Path, out: Path) -> Path:
    if not out.is_file():
        from osgeo import gdal

        out.parent.mkdir(parents=True, exist_ok=True)
        gdal.Translate(
            str(out),
            str(source),
            format="JPEG",
            bandList=[1, 2, 3],
            srcWin=[300, 200, 384, 288],
            creationOptions=["QUALITY=92"],
        )
        Path(f"{out}.aux.xml").unlink(missing_ok=True)  # a photo carries no georeferencing
    return out


def build_index(out_dir: Path) -> Path:
    index = out_dir / "index"
    if (index / "manifest.json").is_file():
        current = subprocess.run(
            [
                str(ENGINE_PYTHON),
                "-c",
                "import sys; from astroloc_qgis.engine.index.build import "
                f"built_as_now; sys.exit(0 if built_as_now({str(index)!r}) else 1)",
            ],
            cwd=REPO,
            capture_output=True,
            timeout=300,
        )
        if current.returncode == 0:
            return index
        shutil.rmtree(index)  # built by older code: the demo shows what the engine does now
    sources = index_sources()
    if not sources:
        raise RuntimeError(f"no imagery to index in {SAMPLE}")
    done = subprocess.run(
        [
            str(ENGINE_PYTHON),
            "-m",
            "astroloc_qgis.engine",
            "index",
            "build",
            *map(str, sources),
            "--out",
            str(index),
            "-q",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building the index failed:\n{done.stdout}\n{done.stderr}")
    return index


def prepare(out_dir: Path, photo: str = "") -> dict[str, str]:
    """`photo`: a path, "nadir" (see nadir_photo), or empty for the sample photo."""
    out_dir = out_dir.resolve()
    if photo == "nadir":
        photo = str(nadir_photo(out_dir))
    return {
        "index": str(build_index(out_dir)),
        "photo": photo or str(sample_photo(out_dir)),
        "basemap": str(index_sources()[0]),
    }


if __name__ == "__main__":
    try:
        out = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "out" / "qgis-demo")
        print(json.dumps(prepare(out, sys.argv[2] if len(sys.argv) > 2 else "")))
    except RuntimeError as exc:
        sys.exit(f"ERROR: {exc}")
