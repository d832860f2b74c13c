"""The sample inputs of the QGIS demo, screenshot and plugin tests: an index, a photo, a base map.

Prefers the bundled resources/sample; falls back to ../shared/data (NAIP North Dakota: index
2009, photo cropped from 2014). The index is built with the engine command line, once.

    /usr/bin/python3 tools/qgis_sample.py OUT_DIR     # prints {"index", "photo", "basemap"} as JSON
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
    if SAMPLE.is_dir():
        photos = sorted(p for p in SAMPLE.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
        preferred = [p for p in photos if "photo" in p.name.lower()]
        if preferred or photos:
            return (preferred or photos)[0]
    out = out_dir / "naip_2014_crop.jpg"
    if not out.is_file():
        from osgeo import gdal

        source = sorted(SHARED.glob("*2014*.tif"))[0]
        out_dir.mkdir(parents=True, exist_ok=True)
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


def prepare(out_dir: Path) -> dict[str, str]:
    out_dir = out_dir.resolve()
    return {"index": str(build_index(out_dir)), "photo": str(sample_photo(out_dir)),
            "basemap": str(index_sources()[0])}


if __name__ == "__main__":
    try:
        print(json.dumps(prepare(Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "out" / "qgis-demo"))))
    except RuntimeError as exc:
        sys.exit(f"ERROR: {exc}")
