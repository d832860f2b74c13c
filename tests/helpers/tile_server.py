"""A tile server on 127.0.0.1 for the service tests and `make bench-imagery` (never another address).

`make_xyz` cuts a georeferenced raster into Web-Mercator XYZ PNG tiles (warped by GDAL);
`TileServer` serves such folders (one per layer/year) as XYZ, WMTS (RESTful and KVP, with a
capabilities document) and WMS GetMap, and can fail on purpose: a status to return the first n
times a tile is asked for, tiles that answer slowly (timeouts), 429s.

    python -m tests.helpers.tile_server FOLDER   # serve FOLDER/<layer>/{z}/{x}/{y}.png until Ctrl-C
"""

from __future__ import annotations

import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

from astroloc_qgis.engine.index import xyz


def make_xyz(raster: str | Path, folder: str | Path, zooms: list[int], tweak=None) -> int:
    """Write folder/{z}/{x}/{y}.png for the tiles that touch the raster; `tweak(rgb)` changes the
    pixels (another 'year'). Returns the number of tiles."""
    import rasterio
    from PIL import Image
    from rasterio.enums import Resampling
    from rasterio.transform import from_bounds
    from rasterio.warp import reproject

    from astroloc_qgis.engine.rasters import open_source

    src = open_source(str(raster), checksum=False)
    n = 0
    with rasterio.open(raster) as ds:
        bands = [rasterio.band(ds, b) for b in (1, 2, 3)]
        for z in zooms:
            for t in xyz.tiles_in(src.bounds_wgs84, z):
                dst = np.zeros((4, 256, 256), np.uint8)
                transform = from_bounds(*xyz.tile_bounds_3857(t), 256, 256)
                ones = np.full((ds.height, ds.width), 255, np.uint8)
                reproject(
                    ones,
                    dst[3],
                    src_transform=ds.transform,
                    src_crs=ds.crs,
                    dst_transform=transform,
                    dst_crs="EPSG:3857",
                    resampling=Resampling.nearest,
                    dst_nodata=0,
                )
                if not dst[3].any():
                    continue
                for i, b in enumerate(bands):
                    reproject(
                        b,
                        dst[i],
                        dst_transform=transform,
                        dst_crs="EPSG:3857",
                        resampling=Resampling.bilinear,
                    )
                rgb = np.ascontiguousarray(np.moveaxis(dst[:3], 0, -1))
                if tweak is not None:
                    rgb = tweak(rgb)
                rgba = np.dstack([rgb, dst[3]])
                out = Path(folder) / str(z) / str(t.x) / f"{t.y}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                Image.fromarray(rgba, "RGBA").save(out)
                n += 1
    return n


CAPABILITIES = """<?xml version="1.0" encoding="UTF-8"?>
<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1"
 xmlns:xlink="http://www.w3.org/1999/xlink" version="1.0.0">
 <ows:OperationsMetadata><ows:Operation name="GetTile"><ows:DCP><ows:HTTP>
  <ows:Get xlink:href="{base}/wmts/kvp?"><ows:Constraint name="GetEncoding"><ows:AllowedValues>
   <ows:Value>KVP</ows:Value></ows:AllowedValues></ows:Constraint></ows:Get>
 </ows:HTTP></ows:DCP></ows:Operation></ows:OperationsMetadata>
 <Contents>{layers}
  <TileMatrixSet><ows:Identifier>GoogleMapsCompatible</ows:Identifier>
   <ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>{matrices}
  </TileMatrixSet>
  <TileMatrixSet><ows:Identifier>UTM14</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::32614</ows:SupportedCRS>
   <TileMatrix><ows:Identifier>0</ows:Identifier><ScaleDenominator>1000000</ScaleDenominator>
   <TopLeftCorner>0 10000000</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>
   <MatrixWidth>4</MatrixWidth><MatrixHeight>4</MatrixHeight></TileMatrix>
  </TileMatrixSet>
 </Contents>
</Capabilities>"""
LAYER = """
  <Layer><ows:Title>{name} imagery</ows:Title><ows:Identifier>{name}</ows:Identifier>
   <Style isDefault="true"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>
   <TileMatrixSetLink><TileMatrixSet>UTM14</TileMatrixSet></TileMatrixSetLink>
   <TileMatrixSetLink><TileMatrixSet>GoogleMapsCompatible</TileMatrixSet></TileMatrixSetLink>
   <ResourceURL format="image/png" resourceType="tile"
    template="{base}/wmts/rest/{name}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.png"/>
  </Layer>"""
MATRIX = """
   <TileMatrix><ows:Identifier>L{z:02d}</ows:Identifier><ScaleDenominator>{scale!r}</ScaleDenominator>
    <TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner><TileWidth>256</TileWidth>
    <TileHeight>256</TileHeight><MatrixWidth>{n}</MatrixWidth><MatrixHeight>{n}</MatrixHeight></TileMatrix>"""


class TileServer:
    """ThreadingHTTPServer on 127.0.0.1:<free port> in a daemon thread; use as a context manager.

    URLs: /xyz/<layer>/{z}/{x}/{y}.png, /wmts/capabilities.xml, /wmts/rest/<layer>/<set>/L{z}/{row}/{col}.png,
    /wmts/kvp?...&TILEMATRIX=L{z}&TILEROW=..&TILECOL=.., /wms?...&BBOX=... (EPSG:3857 tile boxes)."""

    def __init__(self, layers: dict[str, Path], zooms: range = range(0, 23)):
        self.layers = {k: Path(v) for k, v in layers.items()}
        self.zooms = zooms
        self.requests: Counter = Counter()  # (layer, z, x, y) -> times asked
        self.fail_first: dict[tuple, tuple[int, int]] = {}  # (layer, z, x, y) -> (status, times)
        self.slow: dict[tuple, tuple[float, int]] = {}  # (layer, z, x, y) -> (seconds, times)
        self.throttle_first = 0  # answer 429 to the first n tile requests
        self.user_agents: set[str] = set()
        self.restful = True  # False: the capabilities offer KVP GetTile only
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.user_agents.add(self.headers.get("User-Agent", ""))
                status, body, ctype = server.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> TileServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def xyz_template(self, layer: str) -> str:
        return f"{self.base}/xyz/{layer}/{{z}}/{{x}}/{{y}}.png"

    def capabilities(self) -> bytes:
        layers = "".join(LAYER.format(name=name, base=self.base) for name in self.layers)
        if not self.restful:
            layers = re.sub(r"<ResourceURL[^>]*/>", "", layers)
        matrices = "".join(
            MATRIX.format(z=z, scale=xyz.SCALE_DENOMINATOR_Z0 / 2**z, n=2**z) for z in self.zooms
        )
        return CAPABILITIES.format(base=self.base, layers=layers, matrices=matrices).encode()

    def _tile(self, layer: str, z: int, x: int, y: int) -> tuple[int, bytes, str]:
        key = (layer, z, x, y)
        with self.lock:
            self.requests[key] += 1
            asked = self.requests[key]
            total = sum(self.requests.values())
        if total <= self.throttle_first:
            return 429, b"slow down", "text/plain"
        if key in self.fail_first and asked <= self.fail_first[key][1]:
            return self.fail_first[key][0], b"failure on purpose", "text/plain"
        if key in self.slow and asked <= self.slow[key][1]:
            time.sleep(self.slow[key][0])
        path = self.layers.get(layer, Path("/nonexistent")) / str(z) / str(x) / f"{y}.png"
        if not path.is_file():
            return 404, b"no such tile", "text/plain"
        return 200, path.read_bytes(), "image/png"

    def answer(self, raw: str) -> tuple[int, bytes, str]:
        url = urllib.parse.urlsplit(raw)
        parts = url.path.strip("/").split("/")
        q = {k.upper(): v for k, v in urllib.parse.parse_qsl(url.query)}
        try:
            if parts[:1] == ["xyz"] and len(parts) == 5:
                return self._tile(parts[1], int(parts[2]), int(parts[3]), int(parts[4].split(".")[0]))
            if parts == ["wmts", "capabilities.xml"]:
                return 200, self.capabilities(), "application/xml"
            if parts[:2] == ["wmts", "rest"] and len(parts) == 7:
                return self._tile(parts[2], int(parts[4][1:]), int(parts[6].split(".")[0]), int(parts[5]))
            if parts == ["wmts", "kvp"]:
                return self._tile(q["LAYER"], int(q["TILEMATRIX"][1:]), int(q["TILECOL"]), int(q["TILEROW"]))
            if parts == ["wms"]:
                w, s, e, n = (float(v) for v in q["BBOX"].split(","))
                z = round(np.log2(2 * xyz.ORIGIN / (e - w)))
                x, y = xyz.lonlat_to_tile(*_to_lonlat((w + e) / 2, (s + n) / 2), z)
                return self._tile(q["LAYERS"], z, x, y)
        except (KeyError, ValueError, IndexError):
            return 400, b"bad request", "text/plain"
        return 404, b"not found", "text/plain"


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    lon = x / xyz.ORIGIN * 180
    lat = np.degrees(2 * np.arctan(np.exp(y / xyz.ORIGIN * np.pi)) - np.pi / 2)
    return lon, float(lat)


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    with TileServer({p.name: p for p in folder.iterdir() if p.is_dir()}) as srv:
        print(
            f"serving {folder} on {srv.base}/xyz/<layer>/{{z}}/{{x}}/{{y}}.png and "
            f"{srv.base}/wmts/capabilities.xml"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
