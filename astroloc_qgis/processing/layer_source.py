"""What imagery a QGIS raster layer stands for, in the engine's terms (stdlib only).

A layer of QGIS's "wms" provider is an XYZ layer (`type=xyz&url=TEMPLATE`), a WMTS layer (a
`tileMatrixSet` and the capabilities `url`) or a WMS layer (`url`, `layers`, `crs`); a "gdal"
layer is a file (its path before any `|option`). The result holds the engine's
`index_build_service` keys (protocol.SERVICE_KEYS), or `sources` for a file build.
"""

from __future__ import annotations

import urllib.parse

FILE_PROVIDERS = ("gdal",)


class UnsupportedLayer(ValueError):
    """The layer's provider or data source is not one the engine can index."""


def uri_params(source: str) -> dict[str, list[str]]:
    """The key=value pairs of a provider URI, each key with all its values in order (WMS
    `layers` and `styles` repeat); values percent-decoded ('+' stays a plus: QGIS never
    writes a space that way)."""
    out: dict[str, list[str]] = {}
    for pair in source.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        out.setdefault(urllib.parse.unquote(key), []).append(urllib.parse.unquote(value))
    return out


def capabilities_url(url: str) -> str:
    """A WMTS layer's URL as QGIS keeps it, made a GetCapabilities request when it is a bare endpoint."""
    parts = urllib.parse.urlsplit(url)
    query = {k.upper() for k, _ in urllib.parse.parse_qsl(parts.query)}
    if parts.path.lower().endswith(".xml") or "REQUEST" in query:
        return url
    sep = "&" if parts.query else "?"
    return url.rstrip("?&") + sep + "SERVICE=WMTS&REQUEST=GetCapabilities"


def service_of_layer(provider: str, source: str) -> dict:
    """{"xyz": template} | {"wmts": capabilities URL, "layer", "tile_matrix_set"} |
    {"wms": endpoint, "layer", "crs"} | {"sources": [file]}; UnsupportedLayer otherwise."""
    if provider in FILE_PROVIDERS:
        path = source.split("|")[0]
        if not path or path.startswith("/vsi") or "://" in path:
            raise UnsupportedLayer(f"{provider} layer {source[:80]}: not a local raster file")
        return {"sources": [path]}
    if provider != "wms":
        raise UnsupportedLayer(f"layers of the {provider} provider cannot be indexed")
    params = uri_params(source)

    def first(key: str) -> str:
        return (params.get(key) or [""])[0]

    url = first("url")
    if not url:
        raise UnsupportedLayer(f"{source[:80]}: the layer's data source has no url")
    if first("type") == "xyz":
        return {"xyz": url}
    layers = ",".join(v for v in params.get("layers", []) if v)
    if first("tileMatrixSet"):
        return {"wmts": capabilities_url(url), "layer": layers, "tile_matrix_set": first("tileMatrixSet")}
    if first("type") in ("", "wms"):
        # the engine asks a WMS for Web-Mercator tiles whatever CRS the layer is drawn in
        return {"wms": url, "layer": layers, "crs": "EPSG:3857"}
    raise UnsupportedLayer(f"{source[:80]}: a {first('type')} layer cannot be indexed")
