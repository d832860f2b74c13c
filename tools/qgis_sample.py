"""The sample inputs of the QGIS demo, screenshot and plugin tests: an index, a photo, a base map.

Prefers the bundled resources/sample; falls back to ../shared/data (NAIP North Dakota: index
2009, photo cropped from 2014). The index is built with the engine command line, once.

    /usr/bin/python3 tools/qgis_sample.py OUT_DIR [PHOTO|nadir]   # prints {"index", "photo", "basemap"}
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENGINE_PYTHON = REPO / ".venv-engine" / "bin" / "python"
SAMPLE = REPO / "resources" / "sample"
SHARED = REPO.parent / "shared" / "data" / "naip_north_dakota"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")


def index_sources() -> list[Path]:
    if SAMPLE.is_dir():
        manifest = SAMPLE / "sample.json"
        if manifest.is_file():
            listed = json.loads(manifest.read_text()).get("index_sources") or []
            if listed:
                return [SAMPLE / name for name in listed]
        rasters = sorted(p for p in SAMPLE.glob("*.tif") if "photo" not in p.name.lower()
                         and "query" not in p.name.lower())
        if rasters:
            return rasters
    return sorted(SHARED.glob("*2009*.tif"))


def sample_photo(out_dir: Path) -> Path:
    """The demo photo: the bundled one, else a crop of NAIP 2014 from ../shared."""
    if SAMPLE.is_dir():
        photos = sorted(p for p in SAMPLE.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
        preferred = [p for p in photos if "photo" in p.name.lower()]
        if preferred or photos:
            return (preferred or photos)[0]
    return _crop(sorted(SHARED.glob("*2014*.tif"))[0], out_dir / "naip_2014_crop.jpg")


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
        gdal.Translate(str(out), str(source), format="JPEG", bandList=[1, 2, 3], srcWin=[300, 200, 384, 288],
                       creationOptions=["QUALITY=92"])
        Path(f"{out}.aux.xml").unlink(missing_ok=True)  # a photo carries no georeferencing
    return out


def build_index(out_dir: Path) -> Path:
    index = out_dir / "index"
    if (index / "manifest.json").is_file():
        return index
    sources = index_sources()
    if not sources:
        raise RuntimeError("no imagery to index: resources/sample and ../shared/data are both missing")
    done = subprocess.run([str(ENGINE_PYTHON), "-m", "astroloc_qgis.engine", "index", "build",
                           *map(str, sources), "--out", str(index), "-q"],
                          cwd=REPO, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"building the index failed:\n{done.stdout}\n{done.stderr}")
    return index


def prepare(out_dir: Path, photo: str = "") -> dict[str, str]:
    """`photo`: a path, "nadir" (see nadir_photo), or empty for the sample photo."""
    out_dir = out_dir.resolve()
    if photo == "nadir":
        photo = str(nadir_photo(out_dir))
    return {"index": str(build_index(out_dir)), "photo": photo or str(sample_photo(out_dir)),
            "basemap": str(index_sources()[0])}


if __name__ == "__main__":
    try:
        out = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "out" / "qgis-demo")
        print(json.dumps(prepare(out, sys.argv[2] if len(sys.argv) > 2 else "")))
    except RuntimeError as exc:
        sys.exit(f"ERROR: {exc}")
