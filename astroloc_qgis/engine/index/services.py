"""Build or extend an index from a tile service (XYZ template, WMTS, WMS).

Two steps: fetch the tiles of the area and zooms into a local MBTiles cache (resumable,
retried, every missing tile reported), then index the cache like any raster file: the highest
zoom is the base resolution and each lower zoom one grid scale (x2, x4, ...), read by GDAL from
the cache's zoom levels. The network is used only here.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import Cancelled, InputError, ServiceError
from ..progress import Cancel, Progress, raise_if_cancelled
from . import xyz
from .fetch import Fetcher, public_url
from .mbtiles import SERVICE_KEY, TileCache, tile_format
from .wmts import WmsLayer, parse_capabilities

MAX_TILES = 10_000  # more needs --yes
WORKERS = 4
BATCH = 32
DEFAULT_RATE = 8.0  # requests per second: polite for public servers
RESUME_HINT = "run the same build again to resume (the tiles already cached are kept)"
SERVICE_KINDS = ("xyz", "wmts", "wms")
# Measured (docs/bench_imagery.md): RGBA PNG aerial tiles take 57.6 KB each in the cache, a cache
# tile gives ~2.1 index tiles (112 from 53), embedded at ~0.5 index tiles/s on 2 shared cores.
BYTES_PER_TILE = 57_600
INDEX_TILES_PER_CACHE_TILE = 2.1
INDEX_TILES_PER_S = 0.5


@dataclass
class ServiceSpec:
    kind: str  # xyz | wmts | wms
    url: str  # template, capabilities URL or WMS endpoint
    layer: str | None = None
    tile_matrix_set: str | None = None
    crs: str = "EPSG:3857"
    year: str | None = None
    attribution: str = ""
    licence: str = ""

    def check(self) -> None:
        if self.kind == "xyz":
            xyz.check_template(self.url)
        else:
            if not self.url.lower().startswith(("http://", "https://")):
                raise InputError(f"--{self.kind} {self.url}: not an http(s) URL", "give the service's URL")
            if not self.layer:
                raise InputError(
                    f"--{self.kind} {self.url}: needs --layer NAME",
                    "the layer's identifier in the capabilities",
                )


@dataclass
class Area:
    bbox: tuple[float, float, float, float]
    region: Any = None  # shapely polygon (EPSG:4326) of an --aoi, else None
    label: str = ""

    @classmethod
    def from_args(cls, bbox: str | None, aoi: str | None) -> Area:
        if bool(bbox) == bool(aoi):
            raise InputError(
                "a service build needs the area: --bbox W,S,E,N or --aoi FILE (one of them)",
                "e.g. --bbox -99.2,47.0,-99.1,47.1",
            )
        if bbox:
            return cls(xyz.parse_bbox(bbox), label=bbox)
        from ..priors import from_aoi

        region = from_aoi(aoi).region
        w, s, e, n = region.bounds
        return cls((max(w, -180), max(s, -xyz.MAX_LAT), min(e, 180), min(n, xyz.MAX_LAT)), region, str(aoi))

    def tiles(self, zooms: list[int]) -> list[xyz.Tile]:
        out = []
        if self.region is not None:
            from shapely.geometry import box
            from shapely.prepared import prep

            inside = prep(self.region)
        for z in zooms:
            for t in xyz.tiles_in(self.bbox, z):
                if self.region is None or inside.intersects(box(*xyz.tile_lonlat_bounds(t))):
                    out.append(t)
        return out


@dataclass
class FetchReport:
    cache: str
    requested: int = 0
    cached_before: int = 0
    fetched: int = 0
    missing: list[dict[str, Any]] = field(default_factory=list)
    bytes: int = 0
    throttled: int = 0
    rate: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "cache": self.cache,
            "requested": self.requested,
            "cached_before": self.cached_before,
            "fetched": self.fetched,
            "missing": len(self.missing),
            "missing_examples": self.missing[:5],
            "throttled": self.throttled,
        }


def resolve(spec: ServiceSpec, fetcher: Fetcher) -> tuple[Callable[[xyz.Tile], str], dict[str, Any]]:
    """The URL of each tile and what the manifest says of the service."""
    spec.check()
    desc: dict[str, Any] = {"type": spec.kind, "url": public_url(spec.url), "layer": spec.layer}
    if spec.kind == "xyz":
        return (lambda t: xyz.fill_template(spec.url, t)), desc
    if spec.kind == "wms":
        wms = WmsLayer(spec.url, spec.layer, spec.crs)
        desc["crs"] = wms.crs
        return wms.url_for, desc
    layer = parse_capabilities(
        fetcher.get_document(spec.url, "WMTS capabilities"), spec.layer, spec.tile_matrix_set, spec.url
    )
    desc.update(
        {
            "tile_matrix_set": layer.matrix_set,
            "format": layer.fmt,
            "title": layer.title,
            "access": "RESTful" if layer.template else "KVP",
        }
    )
    desc["zooms_offered"] = sorted(layer.matrices)
    return layer.url, desc


def default_cache(out: Path, spec: ServiceSpec, area: Area, zooms: list[int]) -> Path:
    host = urllib.parse.urlsplit(spec.url).hostname or "service"
    key = json.dumps([public_url(spec.url), spec.layer, spec.year, area.label, zooms])
    parts = [host, spec.layer or "", spec.year or "", hashlib.sha256(key.encode()).hexdigest()[:8]]
    name = "-".join(p for p in parts if p)
    return (
        out.parent
        / f"{out.name}.cache"
        / ("".join(c if c.isalnum() or c in "-_." else "_" for c in name) + ".mbtiles")
    )


def _estimate(n: int, rate: float) -> str:
    return f"~{n * BYTES_PER_TILE / 1e6:.0f} MB, ~{n / rate / 60:.0f} min at {rate:g} requests/s"


def estimate(
    spec: ServiceSpec, area: Area, zooms: list[int], cache_path: str | os.PathLike, rate: float
) -> dict[str, Any]:
    """What a build would fetch and cost, without the network: tiles (and how many are already in
    the cache), cache size, fetch and indexing time (the measured figures above)."""
    spec.check()
    cached = 0
    if area.region is None and not Path(cache_path).is_file():
        n = xyz.count_tiles(area.bbox, zooms)  # without listing them: a huge area answers at once
    else:
        tiles = area.tiles(zooms)
        n = len(tiles)
        if Path(cache_path).is_file():
            with TileCache(cache_path) as cache:
                present = {z: cache.present(z) for z in zooms}
            cached = sum((t.x, t.y) in present[t.z] for t in tiles)
    to_fetch = n - cached
    index_tiles = round(n * INDEX_TILES_PER_CACHE_TILE)
    return {
        "tiles": n,
        "cached": cached,
        "to_fetch": to_fetch,
        "bytes": n * BYTES_PER_TILE,
        "fetch_s": round(to_fetch / rate, 1),
        "index_tiles": index_tiles,
        "index_s": round(index_tiles / INDEX_TILES_PER_S, 1),
        "max_tiles": MAX_TILES,
        "over_limit": n > MAX_TILES,
        "zooms": zooms,
        "bbox": list(area.bbox),
        "cache": str(Path(cache_path).resolve()),
        "rate": rate,
    }


def service_arguments(params: Mapping[str, Any]) -> tuple[ServiceSpec, Area, list[int], float]:
    """The service, area, zooms and request rate of a build, from the CLI's arguments (`vars(args)`)
    or the worker's `index_build_service` parameters (the same names; bbox and zooms also as lists)."""
    kinds = [k for k in SERVICE_KINDS if params.get(k)]
    if len(kinds) != 1 or params.get("sources"):
        named = f"--{kinds[-1]}: " if kinds else ""
        raise InputError(
            f"{named}give one source: raster files, --xyz, --wmts or --wms",
            "build from one service at a time; add more with 'index add'",
        )
    given_rate = params.get("max_requests_per_s")
    rate = DEFAULT_RATE if given_rate is None else float(given_rate)
    if rate <= 0:
        raise InputError(f"--max-requests-per-s {rate:g}: must be positive", "e.g. 4")
    spec = ServiceSpec(
        kinds[0],
        str(params[kinds[0]]),
        params.get("layer") or None,
        params.get("tile_matrix_set") or None,
        params.get("crs") or "EPSG:3857",
        str(params["year"]) if params.get("year") else None,
        params.get("attribution") or "",
        params.get("licence") or "",
    )
    bbox, zooms = params.get("bbox"), params.get("zooms") or "9-11"
    if isinstance(bbox, (list, tuple)):
        bbox = ",".join(f"{float(v):.10g}" for v in bbox)
    if isinstance(zooms, (list, tuple)) and zooms:
        zooms = f"{min(zooms)}-{max(zooms)}"
    return spec, Area.from_args(bbox, params.get("aoi") or None), xyz.parse_zooms(str(zooms)), rate


def build_from_arguments(
    params: Mapping[str, Any],
    out_dir: str | os.PathLike,
    add: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    fetcher: Fetcher | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """`build_from_service` (or, with dry_run, `estimate`) from arguments: the one path of the CLI's
    `index build/add --xyz/--wmts/--wms` and the worker's `index_build_service`."""
    spec, area, zooms, rate = service_arguments(params)
    out = Path(out_dir).resolve()
    cache = params.get("cache") or None
    if dry_run:
        return estimate(
            spec, area, zooms, Path(cache) if cache else default_cache(out, spec, area, zooms), rate
        )
    return build_from_service(
        spec,
        area,
        zooms,
        out,
        cache=cache,
        add=add,
        model=params.get("model") or None,
        fetcher=fetcher or Fetcher(max_per_s=rate),
        yes=bool(params.get("yes")),
        allow_missing=bool(params.get("allow_missing")),
        progress=progress,
        cancel=cancel,
    )


def fetch_to_cache(
    spec: ServiceSpec,
    area: Area,
    zooms: list[int],
    cache_path: str | os.PathLike,
    fetcher: Fetcher | None = None,
    yes: bool = False,
    allow_missing: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    max_tiles: int = MAX_TILES,
) -> FetchReport:
    fetcher = fetcher or Fetcher()
    spec.check()
    tiles = area.tiles(zooms)
    _check_tile_count(area, zooms, len(tiles), max_tiles, yes, fetcher.rate)
    url_for, desc = resolve(spec, fetcher)
    offered = desc.get("zooms_offered")
    if offered is not None and not set(zooms) <= set(offered):
        raise InputError(
            f"--zooms {zooms[0]}-{zooms[-1]}: layer {spec.layer} offers Web-Mercator zooms {offered}",
            "pick zooms it offers",
        )
    throttle_note: list[str] = []

    def throttled(rate: float, url: str) -> None:
        if progress:
            progress(
                "fetch", 0.0, f"server says too many requests (HTTP 429): slowing down to {rate:g} requests/s"
            )
        throttle_note.append(url)

    fetcher.on_throttle = throttled
    report = FetchReport(cache=str(Path(cache_path).resolve()), requested=len(tiles))
    with TileCache(cache_path) as cache:
        present = {z: cache.present(z) for z in zooms}
        todo = [t for t in tiles if (t.x, t.y) not in present[t.z]]
        report.cached_before = len(tiles) - len(todo)
        info = {
            **desc,
            "year": spec.year,
            "attribution": spec.attribution,
            "licence": spec.licence,
            "zooms": zooms,
            "bbox": list(area.bbox),
            "area": area.label,
            "fetched": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        w, s, e, n = area.bbox
        cache.set_metadata(
            {
                "name": f"{desc.get('layer') or 'xyz'} {spec.year or ''}".strip(),
                "type": "baselayer",
                "version": "1.3",
                "description": f"AstroLoc tile cache of {desc['url']}",
                "minzoom": str(zooms[0]),
                "maxzoom": str(zooms[-1]),
                "bounds": f"{w},{s},{e},{n}",
                "center": f"{(w + e) / 2},{(s + n) / 2},{zooms[0]}",
                "attribution": spec.attribution,
                SERVICE_KEY: info,
            }
        )
        if progress:
            progress(
                "fetch",
                report.cached_before / len(tiles),
                f"{report.cached_before} of {len(tiles)} tiles already cached in {Path(cache_path).name}",
            )
        fmt = ""
        with ThreadPoolExecutor(WORKERS) as pool:
            for b0, b1 in _batches(len(todo), probe=report.cached_before == 0):
                raise_if_cancelled(cancel, "tile fetch", RESUME_HINT)
                batch = todo[b0:b1]
                urls = [url_for(t) for t in batch]
                # each tile looks at cancel before each request: a cancel stops the fetch at once
                outs = pool.map(lambda url: fetcher.get(url, cancel), urls)
                got, kind = _collect(batch, urls, outs, report)
                if cancel and cancel():
                    cache.put_many(got)  # what arrived before the cancel stays cached
                    raise Cancelled("tile fetch cancelled", RESUME_HINT)
                fmt = fmt or kind
                if (
                    b0 == 0
                    and not got
                    and report.cached_before == 0
                    and all(m["status"] is None for m in report.missing)
                ):
                    raise ServiceError(
                        f"{public_url(urls[0])}: cannot reach the server ({report.missing[0]['error']})",
                        "check the URL, the network and any proxy; nothing was cached",
                    )
                cache.put_many(got)
                report.fetched += len(got)
                if progress:
                    done = report.cached_before + b0 + len(batch)
                    progress(
                        "fetch",
                        done / len(tiles),
                        f"{done}/{len(tiles)} tiles, {len(report.missing)} missing",
                    )
        if fmt:
            cache.set_metadata({"format": fmt})
        elif "format" not in cache.metadata():
            cache.set_metadata({"format": "png"})
    report.rate = fetcher.rate
    _check_missing(report, len(tiles), allow_missing)
    return report


def _batches(n: int, probe: bool) -> list[tuple[int, int]]:
    """[start, end) of each batch; with `probe` the first tile goes alone, so that a server that
    cannot be reached is said after one tile's retries (~7 s), not a whole batch's."""
    first = 1 if probe and n else 0
    return ([(0, 1)] if first else []) + [(b, min(b + BATCH, n)) for b in range(first, n, BATCH)]


def _check_tile_count(area: Area, zooms: list[int], n: int, max_tiles: int, yes: bool, rate: float) -> None:
    if not n:
        raise InputError(
            f"--bbox/--aoi {area.label}: no tile at zooms {zooms[0]}-{zooms[-1]}", "check the area"
        )
    if n > max_tiles and not yes:
        raise InputError(
            f"--zooms {zooms[0]}-{zooms[-1]} over {area.label}: {n:,} tiles to fetch "
            f"(more than {max_tiles:,}; {_estimate(n, rate)})",
            "narrow the area or the zooms, or add --yes to fetch them",
        )


def _collect(
    batch: list[xyz.Tile], urls: list[str], outs: Iterable[Any], report: FetchReport
) -> tuple[list[tuple[xyz.Tile, bytes]], str]:
    """The batch's usable tiles and the format of the first one; the rest go to report.missing."""
    got, fmt = [], ""
    for t, url, out in zip(batch, urls, outs, strict=True):
        report.throttled += out.throttled
        kind = tile_format(out.data) if out.data else ""
        if out.data and kind:
            got.append((t, out.data))
            fmt = fmt or kind
            report.bytes += len(out.data)
        else:
            error = out.error if not out.data else "answer is not a PNG/JPEG/WebP image"
            report.missing.append(
                {
                    "z": t.z,
                    "x": t.x,
                    "y": t.y,
                    "url": public_url(url),
                    "error": error,
                    "status": out.status,
                }
            )
    return got, fmt


def _check_missing(report: FetchReport, n_tiles: int, allow_missing: bool) -> None:
    if report.missing:
        first = report.missing[0]
        if all(m["status"] == 429 for m in report.missing):
            raise ServiceError(
                f"{first['url']}: the server kept answering HTTP 429 (too many requests) for "
                f"{len(report.missing)} tiles",
                f"run the same command again later with --max-requests-per-s {max(0.2, report.rate / 2):g}"
                " (the tiles already cached are kept)",
            )
        if not allow_missing:
            raise ServiceError(
                f"{first['url']}: {len(report.missing)} of {n_tiles} tiles could not be fetched "
                f"(first: {first['error']})",
                "run the same command again to retry them (cached tiles are kept), "
                "or add --allow-missing to index without them",
            )


def scales_for(zooms: list[int]) -> list[int]:
    """Each zoom below the highest is one grid scale: zoom z -> 2**(max - z) base pixels per pixel."""
    return [2 ** (zooms[-1] - z) for z in zooms]


def build_from_service(
    spec: ServiceSpec,
    area: Area,
    zooms: list[int],
    out_dir: str | os.PathLike,
    cache: str | os.PathLike | None = None,
    add: bool = False,
    model: str | None = None,
    fetcher: Fetcher | None = None,
    yes: bool = False,
    allow_missing: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """Fetch into the cache, then `build_index` (or `add_to_index` with add=True) from it."""
    from .build import add_to_index, build_index

    out = Path(out_dir).resolve()
    if add:
        from .manifest import read_manifest

        grid = read_manifest(out)["grid"]
        wanted = sorted(scales_for(zooms))
        if sorted(grid["scales"]) != wanted or int(grid["tile_px"]) != xyz.TILE_PX:
            raise InputError(
                f"--zooms {zooms[0]}-{zooms[-1]}: the index {out} has scales {grid['scales']} of "
                f"{grid['tile_px']} px, these zooms give {wanted} of {xyz.TILE_PX} px",
                "add with as many zoom levels as the index was built with",
            )
    cache_path = Path(cache).resolve() if cache else default_cache(out, spec, area, zooms)
    report = fetch_to_cache(spec, area, zooms, cache_path, fetcher, yes, allow_missing, progress, cancel)
    with TileCache(cache_path) as c:
        meta = c.metadata()
        info = json.loads(meta[SERVICE_KEY])
        info["missing_tiles"] = len(report.missing)
        c.set_metadata({SERVICE_KEY: info})
    if add:
        manifest = add_to_index(out, [str(cache_path)], progress=progress, cancel=cancel)
    else:
        manifest = build_index(
            [str(cache_path)],
            out,
            model=model,
            scales=scales_for(zooms),
            tile_px=xyz.TILE_PX,
            progress=progress,
            cancel=cancel,
        )
    manifest["fetch"] = report.to_dict()
    return manifest
