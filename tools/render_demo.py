"""Headless `make demo` step: localize the sample photo with the real worker and render the
plugin's layers over the index imagery to a PNG (QgsMapRendererParallelJob, no display).

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 -m tools.render_demo OUT_DIR   # from the repository root
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from astroloc_qgis.settings import DEFAULT_CANDIDATES
from tests.helpers.qgis_sample import ENGINE_PYTHON, REPO, prepare


def localize(sample: dict[str, str], log_path: Path) -> dict:
    from astroloc_qgis.worker.client import WorkerClient
    from astroloc_qgis.worker.env import clean_environment

    client = WorkerClient(ENGINE_PYTHON, REPO, log_path, env=clean_environment())
    try:
        started = time.monotonic()
        client.ensure_started()
        request = client.submit("locate", photo=sample["photo"], index=sample["index"], k=DEFAULT_CANDIDATES)
        result = request.result(on_progress=lambda m: print(f"  {m.get('stage')}: {m.get('message', '')}"))
        print(f"localized in {time.monotonic() - started:.1f} s (worker start included)")
        return result
    finally:
        client.shutdown()


def render(layers: list, extent, crs, out_png: Path) -> None:
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(1400, 1000))
    settings.setBackgroundColor(QColor("white"))
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(str(out_png))


def main(out_dir: Path) -> int:
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    from astroloc_qgis.engine.protocol import FOOTPRINT, features_of_kind
    from astroloc_qgis.locate import layers as result_layers
    from astroloc_qgis.map.overlay import warp_photo

    sample = prepare(out_dir)
    collection = localize(sample, out_dir / "worker.log")
    overlay = None
    for feature in features_of_kind(collection, FOOTPRINT):
        overlay = warp_photo(sample["photo"], feature["properties"]["corners"], out_dir / "photo_warped.tif")
    project = QgsProject.instance()
    base = QgsRasterLayer(sample["basemap"], "index imagery")
    project.addMapLayer(base)
    result = result_layers.add_result_to_project(collection, sample["photo"], overlay, 0.7, project)
    order = [node.layer() for node in result.group.findLayers()] + [base]
    crs = base.crs()
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), crs, project)
    extent = to_map.transformBoundingBox(result_layers.result_extent(result))
    extent.scale(2.2)
    out_png = out_dir / "demo_map.png"
    render(order, extent, crs, out_png)
    summary = {
        f["properties"]["kind"]: {
            k: v
            for k, v in f["properties"].items()
            if k in ("rank", "score", "confidence", "altitude_m", "tilt_deg", "area_km2")
        }
        for f in collection.get("features", [])
        if f["properties"]["kind"] in ("footprint", "camera")
    }
    print(json.dumps(summary, indent=1))
    print(f"map rendered to {out_png}")
    del base, result, order
    project.removeAllMapLayers()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "out" / "qgis-demo").resolve()))
