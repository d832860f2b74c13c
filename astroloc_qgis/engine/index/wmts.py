"""WMTS capabilities (stdlib XML) and WMS GetMap: both turned into one URL per Web-Mercator tile.

Only Web-Mercator tile matrix sets are used (GoogleMapsCompatible or any set in EPSG:3857
whose matrices have the standard origin and scale denominators): the cache and the index are
XYZ tiles. A WMS is asked for each XYZ tile's EPSG:3857 box at 256 x 256 pixels.
"""

from __future__ import annotations

import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, ServiceError
from .fetch import public_url
from .xyz import ORIGIN, SCALE_DENOMINATOR_Z0, TILE_PX, Tile, tile_bounds_3857

NS = {
    "wmts": "http://www.opengis.net/wmts/1.0",
    "ows": "http://www.opengis.net/ows/1.1",
    "xlink": "http://www.w3.org/1999/xlink",
}
MERCATOR_CRS = ("3857", "900913", "102100", "102113", "3785")


@dataclass
class WmtsLayer:
    layer: str
    matrix_set: str
    matrices: dict[int, str]  # zoom -> TileMatrix identifier
    template: str | None  # RESTful ResourceURL with {TileMatrix} {TileRow} {TileCol}
    kvp_url: str | None  # GetTile base URL (KVP)
    fmt: str
    style: str
    title: str = ""

    def url(self, t: Tile) -> str:
        if t.z not in self.matrices:
            raise KeyError(t.z)
        if self.template:
            return (
                self.template.replace("{TileMatrixSet}", self.matrix_set)
                .replace("{TileMatrix}", self.matrices[t.z])
                .replace("{TileRow}", str(t.y))
                .replace("{TileCol}", str(t.x))
                .replace("{Style}", self.style)
            )
        params = {
            "SERVICE": "WMTS",
            "REQUEST": "GetTile",
            "VERSION": "1.0.0",
            "LAYER": self.layer,
            "STYLE": self.style,
            "TILEMATRIXSET": self.matrix_set,
            "TILEMATRIX": self.matrices[t.z],
            "TILEROW": str(t.y),
            "TILECOL": str(t.x),
            "FORMAT": self.fmt,
        }
        sep = "&" if "?" in self.kvp_url else "?"
        return self.kvp_url.rstrip("?&") + sep + urllib.parse.urlencode(params)


def _text(el, path: str, default: str = "") -> str:
    found = el.find(path, NS)
    return found.text.strip() if found is not None and found.text else default


def _mercator_matrices(tms) -> dict[int, str]:
    """zoom -> identifier for the matrices of a set that are Web-Mercator XYZ levels."""
    crs = _text(tms, "ows:SupportedCRS")
    if not any(code in crs for code in MERCATOR_CRS):
        return {}
    out: dict[int, str] = {}
    for m in tms.findall("wmts:TileMatrix", NS):
        try:
            scale = float(_text(m, "wmts:ScaleDenominator"))
            x0, y0 = (float(v) for v in _text(m, "wmts:TopLeftCorner").split()[:2])
            width = int(_text(m, "wmts:TileWidth", "256"))
        except ValueError:
            continue
        for z in range(25):
            if abs(scale / (SCALE_DENOMINATOR_Z0 / 2**z) - 1) < 0.01:
                if width == TILE_PX and abs(x0 + ORIGIN) < 1 and abs(y0 - ORIGIN) < 1:
                    out[z] = _text(m, "ows:Identifier")
                break
    return out


def parse_capabilities(xml: bytes, layer: str, matrix_set: str | None, url: str) -> WmtsLayer:
    where = public_url(url)
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ServiceError(
            f"{where}: not a WMTS capabilities document ({exc})",
            "give the GetCapabilities URL (…/WMTSCapabilities.xml or ?SERVICE=WMTS&REQUEST=GetCapabilities)",
        ) from exc
    contents = root.find("wmts:Contents", NS)
    if contents is None:
        raise ServiceError(
            f"{where}: no <Contents> in the capabilities", "is this a WMTS 1.0.0 capabilities URL?"
        )
    layers = {_text(el, "ows:Identifier"): el for el in contents.findall("wmts:Layer", NS)}
    if layer not in layers:
        names = ", ".join(sorted(layers)[:12]) or "none"
        raise InputError(f"--layer {layer}: not in the capabilities of {where}", f"layers there: {names}")
    el = layers[layer]
    sets = {_text(s, "ows:Identifier"): s for s in contents.findall("wmts:TileMatrixSet", NS)}
    linked = [_text(link, "wmts:TileMatrixSet") for link in el.findall("wmts:TileMatrixSetLink", NS)]
    usable = {name: _mercator_matrices(sets[name]) for name in linked if name in sets}
    usable = {k: v for k, v in usable.items() if v}
    chosen = _choose_matrix_set(layer, matrix_set, linked, usable)
    formats = [f.text.strip() for f in el.findall("wmts:Format", NS) if f.text]
    fmt = next(
        (f for f in formats if f in ("image/jpeg", "image/png")), formats[0] if formats else "image/png"
    )
    template, kvp = _tile_template(el, fmt), _kvp_get_tile(root)
    if not template and not kvp:
        raise ServiceError(
            f"{where}: layer {layer} has neither a tile ResourceURL nor a KVP GetTile URL",
            "the capabilities document is incomplete",
        )
    if template:
        template = urllib.parse.urljoin(url, template)
    if kvp:
        kvp = urllib.parse.urljoin(url, kvp)
    return WmtsLayer(
        layer, chosen, usable[chosen], template, kvp, fmt, _default_style(el), _text(el, "ows:Title")
    )


def _choose_matrix_set(layer: str, matrix_set: str | None, linked: list[str], usable: dict[str, Any]) -> str:
    """The asked-for set, checked; else GoogleMapsCompatible or the first Web-Mercator set."""
    if matrix_set:
        if matrix_set not in linked:
            raise InputError(
                f"--tile-matrix-set {matrix_set}: layer {layer} has no such set",
                f"its sets: {', '.join(linked) or 'none'}",
            )
        if matrix_set not in usable:
            raise InputError(
                f"--tile-matrix-set {matrix_set}: not a Web-Mercator (EPSG:3857, 256 px) set",
                f"usable sets of {layer}: {', '.join(usable) or 'none'}",
            )
    elif not usable:
        raise InputError(
            f"--layer {layer}: none of its tile matrix sets ({', '.join(linked) or 'none'}) is Web-Mercator",
            "AstroLoc caches EPSG:3857 XYZ tiles; use the layer's WMS, or a Web-Mercator layer",
        )
    return matrix_set or ("GoogleMapsCompatible" if "GoogleMapsCompatible" in usable else sorted(usable)[0])


def _default_style(el: ET.Element) -> str:
    style_el = el.find("wmts:Style[@isDefault='true']", NS)
    if style_el is None:
        style_el = el.find("wmts:Style", NS)
    return _text(style_el, "ows:Identifier", "default") if style_el is not None else "default"


def _tile_template(el: ET.Element, fmt: str) -> str | None:
    """The layer's tile ResourceURL template, the one in `fmt` where there are several."""
    template = None
    for res in el.findall("wmts:ResourceURL", NS):
        if res.get("resourceType") == "tile" and (template is None or res.get("format") == fmt):
            template = res.get("template")
    return template


def _kvp_get_tile(root: ET.Element) -> str | None:
    """The KVP GetTile endpoint of the operations metadata, if any."""
    kvp = None
    for op in root.findall("ows:OperationsMetadata/ows:Operation", NS):
        if op.get("name") == "GetTile":
            for get in op.findall("ows:DCP/ows:HTTP/ows:Get", NS):
                values = [v.text for v in get.findall(".//ows:Value", NS)]
                if not values or "KVP" in values:
                    kvp = get.get(f"{{{NS['xlink']}}}href")
                    break
    return kvp


@dataclass
class WmsLayer:
    url: str
    layer: str
    crs: str = "EPSG:3857"
    fmt: str = "image/png"
    version: str = "1.3.0"

    def __post_init__(self) -> None:
        if self.crs.upper() not in ("EPSG:3857", "EPSG:900913"):
            raise InputError(
                f"--crs {self.crs}: AstroLoc asks a WMS for Web-Mercator tiles only",
                "use --crs EPSG:3857 (most WMS offer it)",
            )

    def url_for(self, t: Tile) -> str:
        w, s, e, n = tile_bounds_3857(t)
        params = {
            "SERVICE": "WMS",
            "REQUEST": "GetMap",
            "VERSION": self.version,
            "LAYERS": self.layer,
            "STYLES": "",
            "CRS" if self.version >= "1.3" else "SRS": self.crs.upper(),
            "BBOX": f"{w:.3f},{s:.3f},{e:.3f},{n:.3f}",
            "WIDTH": str(TILE_PX),
            "HEIGHT": str(TILE_PX),
            "FORMAT": self.fmt,
            "TRANSPARENT": "TRUE",
        }
        sep = "&" if "?" in self.url else "?"
        return self.url.rstrip("?&") + sep + urllib.parse.urlencode(params)
