"""Build dist/astroloc_qgis-<version>.zip for QGIS "Install from ZIP" (`make package`).

The zip holds one folder, astroloc_qgis/, at its root: the Python sources, metadata.txt
(the real file, not the development symlink), icons, QML styles, compiled translations and
requirements/engine.txt (the plugin creates the engine environment from it). Never sample
data, compiled bytecode or binaries; at most 25 MB.
"""

from __future__ import annotations

import configparser
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGIN = "astroloc_qgis"
MAX_BYTES = 25 * 1024 * 1024
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".ruff_cache", "sample"}
BINARY_SUFFIXES = {
    ".pyc",
    ".pyo",
    ".so",
    ".dll",
    ".dylib",
    ".exe",
    ".npy",
    ".npz",
    ".faiss",
    ".pt",
    ".pth",
    ".onnx",
    ".whl",
    ".tif",
    ".tiff",
    ".gpkg",
    ".zip",
}
# (source in the checkout, name inside the plugin folder)
EXTRA = [
    ("metadata.txt", "metadata.txt"),
    ("LICENSE", "LICENSE"),
    ("requirements/engine.txt", "requirements/engine.txt"),
    ("resources/icons", "resources/icons"),
    ("resources/styles", "resources/styles"),
    ("i18n", "i18n"),
]


def version() -> str:
    parser = configparser.ConfigParser()
    parser.read(REPO / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def _wanted(path: Path) -> bool:
    if any(part in SKIP_DIRS or part.startswith(".") for part in path.parts):
        return False
    if path.suffix.lower() in BINARY_SUFFIXES:
        return False
    return path.suffix != ".ts"  # translation sources stay in the repository; .qm are shipped


def plugin_files() -> list[tuple[Path, str]]:
    """(file on disk, path inside the zip), symlinks dereferenced."""
    files: dict[str, Path] = {}
    source_root = REPO / PLUGIN
    for path in sorted(source_root.rglob("*")):
        relative = path.relative_to(source_root)
        if relative.parts[0] in {"resources", "i18n", "metadata.txt"}:
            continue  # development symlinks; added from their real place below
        if path.is_file() and _wanted(relative):
            files[f"{PLUGIN}/{relative.as_posix()}"] = path
    for source, target in EXTRA:
        origin = REPO / source
        candidates = [origin] if origin.is_file() else sorted(p for p in origin.rglob("*") if p.is_file())
        for path in candidates:
            relative = Path(target) / path.relative_to(origin) if origin.is_dir() else Path(target)
            if _wanted(relative):
                files[f"{PLUGIN}/{relative.as_posix()}"] = path.resolve()
    return sorted((path, name) for name, path in files.items())


def build(out_dir: Path = REPO / "dist") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{PLUGIN}-{version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in plugin_files():
            archive.write(path, name)
    size = target.stat().st_size
    if size > MAX_BYTES:
        target.unlink()
        raise SystemExit(f"{target.name} is {size / 1e6:.1f} MB, more than 25 MB")
    return target


def main() -> int:
    target = build(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "dist")
    with zipfile.ZipFile(target) as archive:
        count = len(archive.namelist())
    print(
        f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: "
        f"{count} files, {target.stat().st_size / 1024:.0f} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
