"""Real imagery for the plugin tests: the bundled NAIP North Dakota sample, and "photos" cut out of it."""

from __future__ import annotations

from pathlib import Path

from osgeo import gdal, osr

NAIP = Path(__file__).resolve().parents[2] / "resources" / "sample"


def naip_source() -> Path:
    return next(iter(sorted(NAIP.glob("naip*.tif"))))


def photo_from(
    source: Path, out: Path, win: tuple[int, int, int, int], rotate: bool = False
) -> tuple[float, float]:
    """A JPEG 'photo' cut from real imagery, without georeferencing; returns its true centre lon/lat."""
    gdal.Translate(
        str(out),
        str(source),
        format="JPEG",
        bandList=[1, 2, 3],
        srcWin=list(win),
        creationOptions=["QUALITY=92"],
    )
    for sidecar in out.parent.glob(out.name + ".aux.xml"):
        sidecar.unlink()
    if rotate:
        from PyQt5.QtGui import QImage, QTransform

        img = QImage(str(out))
        img.transformed(QTransform().rotate(90)).save(str(out), "JPEG", 92)
    ds = gdal.Open(str(source))
    gt = ds.GetGeoTransform()
    x = gt[0] + (win[0] + win[2] / 2) * gt[1]
    y = gt[3] + (win[1] + win[3] / 2) * gt[5]
    src = osr.SpatialReference(wkt=ds.GetProjection())
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon, lat, _ = osr.CoordinateTransformation(src, dst).TransformPoint(x, y)
    return lon, lat
