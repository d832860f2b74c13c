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


def hazy_photo(source: Path, out: Path, win: tuple[int, int, int, int]) -> list[list[float]]:
    """A 'photo' cut from real imagery under a known haze (contrast x 0.35 over a bright airlight,
    as tests/unit/test_adapt.py's photo domain); returns its true corners UL, UR, LR, LL as lon/lat."""
    gdal.Translate(
        str(out),
        str(source),
        format="JPEG",
        bandList=[1, 2, 3],
        srcWin=list(win),
        scaleParams=[[0, 255, 140, 229]],
        creationOptions=["QUALITY=92"],
    )
    for sidecar in out.parent.glob(out.name + ".aux.xml"):
        sidecar.unlink()
    ds = gdal.Open(str(source))
    gt = ds.GetGeoTransform()
    src = osr.SpatialReference(wkt=ds.GetProjection())
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_ll = osr.CoordinateTransformation(src, dst)
    c0, r0, w, h = win
    corners = []
    for col, row in ((c0, r0), (c0 + w, r0), (c0 + w, r0 + h), (c0, r0 + h)):
        lon, lat, _ = to_ll.TransformPoint(gt[0] + col * gt[1], gt[3] + row * gt[5])
        corners.append([lon, lat])
    return corners
