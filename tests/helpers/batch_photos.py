"""Small distinct photos cut from the sample imagery: the batch test's and the soak's inputs.

Each is a plain JPEG (no georeferencing) at its own window of the first index source, so each has
its own SHA-256 and the engine really embeds, retrieves and verifies it; small (192 x 144 px by
default) so that one locate costs little.

    /usr/bin/python3 -m tests.helpers.batch_photos OUT_DIR COUNT [WIDTH HEIGHT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.helpers.qgis_sample import index_sources


def make_photos(out_dir: Path, count: int, width: int = 192, height: int = 144) -> list[Path]:
    from osgeo import gdal

    source = gdal.Open(str(index_sources()[0]))
    out_dir.mkdir(parents=True, exist_ok=True)
    photos = []
    for i in range(count):
        out = out_dir / f"batch_{i:04d}.jpg"
        if not out.is_file():
            window = [
                (i * 37) % (source.RasterXSize - width),
                (i * 23) % (source.RasterYSize - height),
                width,
                height,
            ]
            gdal.Translate(
                str(out),
                source,
                format="JPEG",
                bandList=[1, 2, 3],
                srcWin=window,
                creationOptions=["QUALITY=90"],
            )
            Path(f"{out}.aux.xml").unlink(missing_ok=True)
        photos.append(out)
    return photos


if __name__ == "__main__":
    made = make_photos(Path(sys.argv[1]), int(sys.argv[2]), *(int(a) for a in sys.argv[3:5]))
    print(len(made))
