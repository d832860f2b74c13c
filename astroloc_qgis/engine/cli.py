"""Command line: astroloc {index build|info|add, search, locate, models, worker}.

`astroloc` is the console script `make setup` installs into the engine environment;
`python -m astroloc_qgis.engine` is the same from the repository root (and how the plugin starts
the worker: its own copy of the engine, wherever the package is installed).

Expected errors print one line `error: ...` on stderr and exit 2 (cancel / Ctrl-C: 130);
only engine bugs show a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from .errors import AstroLocError, Cancelled, InputError, PriorError
from .protocol import KINDS


class ProgressBar:
    """One updating line on a terminal; a line every few seconds when stderr is a file or pipe."""

    def __init__(self, stream=sys.stderr, quiet: bool = False):
        self.stream, self.quiet = stream, quiet
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last, self.stage, self.width = 0.0, "", 0

    def __call__(self, stage: str, fraction: float, message: str = "") -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if stage == self.stage and fraction < 1.0 and now - self.last < (0.2 if self.tty else 3.0):
            return
        self.last = now
        filled = int(24 * fraction)
        line = f"{stage:>8} [{'#' * filled}{'.' * (24 - filled)}] {fraction * 100:5.1f}% {message}"
        if self.tty:
            pad = max(0, self.width - len(line))
            self.stream.write(("\n" if stage != self.stage and self.stage else "\r") + line + " " * pad)
            self.width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stage = stage
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self.stage and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
        self.stage = ""


def _print_lineage(m: dict[str, Any], out=None) -> None:
    """The model lineage of an index adapted to confirmed photos (index/adapt.py)."""
    out = out or sys.stdout  # looked up at call time: a redirected stdout counts
    a = m.get("adaptation")
    if not a:
        return
    base, views = a.get("base_model", {}), (a.get("base_views") or {}).get("views_per_sample")
    print(
        f"adapted:     version {a['version']} on {a['date']}: {a['confirmed_pairs']} confirmed photos "
        f"({a['pairs']} pairs, {a['method']}) over base {base.get('name')} "
        f"(weights {str(base.get('weights_hash'))[:12]}"
        + (f", whitening from {views} photo-like views per sample tile)" if views else ")"),
        file=out,
    )
    for h in a.get("history", []):
        print(
            f"             earlier: version {h['version']} on {h['date']}, {h['confirmed_pairs']} photos",
            file=out,
        )
    for v in m.get("versions", []):
        print(f"             previous version {v['version']} kept in {v['path']}", file=out)


def _print_manifest_summary(m: dict[str, Any], out=None) -> None:
    out = out or sys.stdout  # looked up at call time: a redirected stdout counts
    faiss = m.get("faiss", {})
    model = m.get("model", {})
    print(f"index:       {m.get('path', '')}", file=out)
    print(
        f"format:      {m.get('format_version')}  created {m.get('created')}  updated {m.get('updated')}",
        file=out,
    )
    print(
        f"model:       {model.get('name')}  ({m.get('descriptor_dim')}-d, weights "
        f"{str(model.get('weights_hash'))[:12]})"
        + (f"  checkpoint {model['weights_path']}" if model.get("weights_path") else ""),
        file=out,
    )
    print(
        f"grid:        tile {m['grid']['tile_px']} px x scales {m['grid']['scales']}, overlap "
        f"{m['grid']['overlap']}",
        file=out,
    )
    fit = m.get("fit")
    if fit:
        views = f", {fit['views_per_sample']} views per sample tile" if fit.get("views_per_sample") else ""
        print(
            f"learned:     whitening {fit.get('whitening')} (up to {fit.get('max_samples')} sample "
            f"tiles{views})",
            file=out,
        )
    elif model.get("name") in ("xfeat-vlad", "xfeat-mlvlad", "sift-vlad", "fused-vlad"):
        print(
            "learned:     PCA-whitening (built before learned whitening: rebuild it for better retrieval of "
            "photos taken in another year, docs/index.md)",
            file=out,
        )
    _print_lineage(m, out)
    probe = f", nprobe {faiss['nprobe']}" if faiss.get("nprobe") else ""
    print(
        f"tiles:       {m.get('tiles')}  (FAISS {faiss.get('factory', faiss.get('type'))}{probe})", file=out
    )
    b = m.get("bounds_wgs84")
    if b:
        print(f"bounds:      lon {b[0]:.4f}..{b[2]:.4f}, lat {b[1]:.4f}..{b[3]:.4f}", file=out)
    if "bytes_per_tile" in m:
        print(
            f"size:        {sum(m['file_sizes'].values()) / 1e6:.2f} MB, "
            f"{m['bytes_per_tile']:.0f} bytes/tile",
            file=out,
        )
    if m.get("coverage"):
        print(f"coverage:    {m['coverage']} (the layer 'coverage' of tiles.gpkg, for QGIS)", file=out)
    print("sources:", file=out)
    for s in m.get("sources", []):
        crs = s["crs"] if len(s["crs"]) <= 16 else s["crs"][:13] + "..."
        print(f"  {s['tiles']:>7} tiles  {s['width']}x{s['height']} {crs:<16} {s['path']}", file=out)
        if svc := s.get("service"):
            print(
                f"           {svc['type']} {svc['url']}"
                + (f"  layer {svc['layer']}" if svc.get("layer") else ""),
                file=out,
            )
            print(
                f"           year {s.get('year') or '-'}, zooms {svc['zooms'][0]}-{svc['zooms'][-1]}, "
                f"fetched {svc['fetched']}, {svc.get('missing_tiles', 0)} tiles missing",
                file=out,
            )
            for key in ("attribution", "licence"):
                if svc.get(key):
                    print(f"           {key}: {svc[key]}", file=out)


def _print_candidates(fc: dict[str, Any], out=None) -> None:
    out = out or sys.stdout  # looked up at call time: a redirected stdout counts
    photo = fc.get("photo", {})
    print(
        f"photo: {photo.get('name')} ({photo.get('width')}x{photo.get('height')})  index: "
        f"{fc['index']['path']} "
        f"({fc['index']['model']}, {fc['index']['tiles']} tiles)  status: {fc['status']}",
        file=out,
    )
    print(
        f"{'rank':>4} {'score':>7} {'rot':>4} {'scale':>5} {'tile':>7}  {'centre lon,lat':<22} window "
        "[col,row,w,h]  source",
        file=out,
    )
    from shapely.geometry import shape

    for f in fc["features"]:
        p = f["properties"]
        if p.get("kind") != "candidate":
            continue
        c = shape(f["geometry"]).centroid
        print(
            f"{p['rank']:>4} {p['score']:>7.4f} {p['rotation']:>4} {p['scale']:>5} {p['tile_id']:>7}  "
            f"{c.x:>10.5f},{c.y:>10.5f}  {str(p['window']):<20} {Path(p['source']).name}",
            file=out,
        )
    _print_prior(fc, out)
    t = fc.get("timing", {})
    print("timing: " + ", ".join(f"{k} {v:.3f}s" for k, v in t.items()), file=out)


def _print_prior(fc: dict[str, Any], out=None) -> None:
    out = out or sys.stdout  # looked up at call time: a redirected stdout counts
    if prior := fc.get("prior"):
        tiles = f" ({prior['tiles_in_region']} tiles in the region)" if "tiles_in_region" in prior else ""
        print(f"prior: {prior['description']}{tiles}", file=out)


def prior_params(args: argparse.Namespace) -> dict[str, Any] | None:
    """The prior flags as the plain keys of priors.PARAM_KEYS (what the worker receives too)."""
    params = {
        "nadir": args.nadir,
        "altitude_m": args.altitude_m,
        "max_tilt_deg": args.max_tilt,
        "near": args.near,
        "radius_km": args.radius_km,
        "aoi": args.aoi,
        "tle": args.tle,
        "catalogue": args.catalogue,
        "capture_time": args.capture_time,
    }
    params = {k: v for k, v in params.items() if v is not None}
    return params or None


def _service_build(args: argparse.Namespace, out: str, add: bool, bar: ProgressBar) -> dict[str, Any]:
    from .index import services

    m = services.build_from_arguments(vars(args), out, add=add, progress=bar)
    f = m["fetch"]
    bar.done()
    print(
        f"fetched {f['fetched']} tiles ({f['cached_before']} already cached, {f['missing']} missing"
        f"{', server throttled: slowed down' if f['throttled'] else ''}) into {f['cache']}"
    )
    return m


def _is_service(args: argparse.Namespace) -> bool:
    return bool(args.xyz or args.wmts or args.wms)


def cmd_index_build(args: argparse.Namespace) -> int:
    from . import api

    bar = ProgressBar(quiet=args.quiet)
    t0 = time.monotonic()
    if _is_service(args):
        m = _service_build(args, args.out, add=False, bar=bar)
        print(
            f"built {m['tiles']} tiles with {m['model']['name']} in {time.monotonic() - t0:.1f} s -> "
            f"{args.out}"
        )
        return 0
    if not args.sources:
        raise InputError(
            "index build: no source given", "give raster files or folders, or --xyz/--wmts/--wms URL"
        )
    m = api.build_index(
        args.sources,
        args.out,
        model=args.model,
        scales=args.scales,
        tile_px=args.tile_px,
        progress=bar,
        cluster=args.cluster,
    )
    bar.done()
    print(
        f"built {m['tiles']} tiles with {m['model']['name']} in {time.monotonic() - t0:.1f} s -> {args.out}"
    )
    return 0


def cmd_index_add(args: argparse.Namespace) -> int:
    from . import api

    bar = ProgressBar(quiet=args.quiet)
    if _is_service(args):
        m = _service_build(args, args.index, add=True, bar=bar)
    elif not args.sources:
        raise InputError(
            "index add: no source given", "give raster files or folders, or --xyz/--wmts/--wms URL"
        )
    else:
        m = api.add_to_index(args.index, args.sources, progress=bar)
    bar.done()
    print(f"index now holds {m['tiles']} tiles from {len(m['sources'])} sources -> {args.index}")
    return 0


def cmd_index_info(args: argparse.Namespace) -> int:
    from . import api

    info = api.index_info(args.index)
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        _print_manifest_summary(info)
    return 0


def cmd_index_calibrate(args: argparse.Namespace) -> int:
    from . import api

    c = api.calibrate_confidence(args.index, args.session)
    print(
        f"confidence calibrated on {c['decisions']} decisions ({c['confirmed']} confirmed, "
        f"{c['rejected']} rejected): p' = logistic({c['a']:.3f} logit(p) {c['b']:+.3f}) -> {args.index}"
    )
    return 0


def cmd_index_adapt(args: argparse.Namespace) -> int:
    from . import api

    bar = ProgressBar(quiet=args.quiet)
    t0 = time.monotonic()
    m, report = api.adapt_index(
        args.index,
        args.confirmed,
        args.photos,
        args.out,
        other_index=args.other_index,
        progress=bar,
        force=args.force,
    )
    bar.done()
    for label, names in (
        ("photo not found", report.missing),
        ("outside the index", report.outside),
        ("unreadable photo", report.unreadable),
    ):
        for name in names:
            print(f"skipped ({label}): {name}", file=sys.stderr)
    a = m["adaptation"]
    skipped = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in a["skipped"].items() if v) or "none skipped"
    print(
        f"adapted {m['model']['name']} to {a['new_confirmations']} confirmed photos ({skipped}; "
        f"{a['confirmed_pairs']} in all, {a['pairs']} pairs) in {time.monotonic() - t0:.1f} s -> "
        f"{args.out or args.index} (version {a['version']})"
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from . import api

    if args.altitude_m is not None and not (args.nadir or args.tle or args.catalogue):
        raise PriorError(
            "altitude_m",
            f"--altitude-m {args.altitude_m:g}: search uses it only for the region of a nadir",
            "add --nadir, --tle or --catalogue, or leave --altitude-m out",
        )
    bar = ProgressBar(quiet=args.quiet or args.geojson)
    fc = api.search(
        args.photo,
        args.index,
        k=args.k,
        model=args.model,
        progress=bar,
        prior=prior_params(args),
        nprobe=args.nprobe,
    )
    bar.done()
    if args.geojson:
        json.dump(fc, sys.stdout)
        sys.stdout.write("\n")
    else:
        _print_candidates(fc)
    return 0


def cmd_locate(args: argparse.Namespace) -> int:
    from . import api
    from .locate import format_result

    bar = ProgressBar(quiet=args.quiet or args.geojson)
    fc = api.locate(
        args.photo,
        args.index,
        top=args.top,
        k=args.k,
        altitude_m=args.altitude_m,
        focal_px=args.focal_px,
        progress=bar,
        prior=prior_params(args),
        max_units=args.max_units,
        nprobe=args.nprobe,
        kind=args.kind,
        heading_deg=args.heading,
        heading_sigma_deg=args.heading_sigma,
        pitch_deg=args.pitch,
    )
    bar.done()
    if args.geojson:
        json.dump(fc, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(format_result(fc))
        _print_prior(fc)
    return 0 if fc["status"] == "ok" else 1


def cmd_models(args: argparse.Namespace) -> int:
    from .models import available_models

    for m in available_models():
        flag = "default" if m["default"] else ("" if m["ready"] else "needs weights")
        print(f"{m['name']:<12} {flag:<14} {m['description']}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from . import worker

    return worker.main()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="astroloc",
        description="AstroLoc engine: index georeferenced imagery, find where a photo was taken.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    idx = sub.add_parser("index", help="build, inspect or extend a tile index")
    isub = idx.add_subparsers(dest="index_command", required=True)
    b = isub.add_parser("build", help="tile and embed rasters into a new index folder")
    b.add_argument("sources", nargs="*", help="GeoTIFF/COG, VRT, MBTiles files or folders of them")
    b.add_argument("--out", required=True, help="index folder (replaced atomically if it holds an index)")
    b.add_argument(
        "--model", default=None, help="global descriptor (see 'models'); default: the benchmark winner"
    )
    b.add_argument(
        "--scales",
        type=int,
        nargs="+",
        default=None,
        help="tile sizes as multiples of --tile-px (default 1 2 4)",
    )
    b.add_argument("--tile-px", type=int, default=None, help="base tile size in source pixels (default 256)")
    b.add_argument(
        "--cluster",
        default=None,
        metavar="local:N|tcp://HOST:8786",
        help="embed the tiles on Dask: N worker processes here, or the workers of a running "
        "'dask scheduler' (docs/scale.md); the index is the same as without",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_service_arguments(b)
    b.set_defaults(func=cmd_index_build)
    a = isub.add_parser(
        "add", help="add rasters or another year/area of a service to an index (same model and codebook)"
    )
    a.add_argument("index")
    a.add_argument("sources", nargs="*")
    add_service_arguments(a)
    a.add_argument("-q", "--quiet", action="store_true")
    a.set_defaults(func=cmd_index_add)
    ad = isub.add_parser(
        "adapt", help="learn from the analyst's confirmed footprints: a new index adapted to real photos"
    )
    ad.add_argument("index")
    ad.add_argument(
        "--confirmed", required=True, help="a review session (.gpkg) or an export (.gpkg, .geojson, .csv)"
    )
    ad.add_argument("--photos", nargs="+", default=[], help="folders where the photos are found by SHA-256")
    ad.add_argument(
        "--out", default=None, help="new index folder (default: a new version of INDEX, the previous kept)"
    )
    ad.add_argument(
        "--other-index",
        action="store_true",
        help="use a session made with another index or model (its footprints are still ground truth)",
    )
    ad.add_argument(
        "--force",
        action="store_true",
        help="adapt even when the check (the confirmed photos, one region of them held out at a time) "
        "says it hurts places it has not seen",
    )
    ad.add_argument("-q", "--quiet", action="store_true")
    ad.set_defaults(func=cmd_index_adapt)
    cal = isub.add_parser(
        "calibrate",
        help="refit the footprint confidence on a review session's decisions (confirmed vs rejected)",
    )
    cal.add_argument("index")
    cal.add_argument("--session", required=True, help="the review session (.gpkg) of the Review tab")
    cal.set_defaults(func=cmd_index_calibrate)
    i = isub.add_parser("info", help="describe an index")
    i.add_argument("index")
    i.add_argument("--json", action="store_true", help="the manifest as JSON")
    i.set_defaults(func=cmd_index_info)

    s = sub.add_parser("search", help="rank index tiles by similarity to a photo")
    s.add_argument("photo")
    s.add_argument("--index", required=True)
    s.add_argument("-k", type=int, default=100, help="number of candidates (default 100)")
    s.add_argument("--model", default=None, help="must match the index's model (checked)")
    s.add_argument(
        "--altitude-m",
        type=float,
        default=None,
        help="camera altitude in metres, for the --nadir/--tle/--catalogue region (default ISS 400-420 km)",
    )
    add_prior_arguments(s)
    add_nprobe_argument(s)
    s.add_argument("--geojson", action="store_true", help="print a GeoJSON FeatureCollection on stdout")
    s.add_argument("-q", "--quiet", action="store_true")
    s.set_defaults(func=cmd_search)

    m = sub.add_parser("models", help="list the global descriptor models")
    m.set_defaults(func=cmd_models)
    w = sub.add_parser(
        "worker", help="serve the JSON-lines protocol on stdin/stdout (used by the QGIS plugin)"
    )
    w.set_defaults(func=cmd_worker)
    lo = sub.add_parser("locate", help="footprint and camera pose: retrieve, verify by matching, refine")
    lo.add_argument("photo")
    lo.add_argument("--index", required=True)
    lo.add_argument(
        "--top",
        type=int,
        default=None,
        help="retrieval candidates open to verification by local matching (default 8)",
    )
    lo.add_argument("-k", type=int, default=100, help="candidates retrieved (default 100)")
    lo.add_argument(
        "--altitude-m",
        type=float,
        default=None,
        help="camera altitude in metres: the pose's prior and the --nadir/--tle/--catalogue region's",
    )
    lo.add_argument(
        "--focal-px", type=float, default=None, help="focal length in pixels of the original photo"
    )
    add_prior_arguments(lo)
    add_nprobe_argument(lo)
    lo.add_argument(
        "--kind",
        choices=KINDS,
        default="auto",
        help="the kind of photo (default auto: a drone when the EXIF says so; a drone photo is "
        "searched round its EXIF GPS fix unless a prior is given; docs/PRIORS.md); historical: a "
        "grey film scan, searched and matched in grey (docs/LOCATE.md); satellite: a nadir "
        "image from orbit of unknown place and rotation, the footprint only (docs/LOCATE.md); "
        "ground: a photo taken standing, x, y and yaw round its GPS fix (EXIF or "
        "--near/--radius-km); --altitude-m is then the camera's height above the ground (default 1.6)",
    )
    lo.add_argument(
        "--heading",
        type=float,
        default=None,
        metavar="DEG",
        help="--kind ground: the compass heading, clockwise from north (default the EXIF GPSImgDirection)",
    )
    lo.add_argument(
        "--heading-sigma",
        type=float,
        default=None,
        metavar="DEG",
        help="--kind ground: the heading's error (default 15; yaws within 3 sigma are searched)",
    )
    lo.add_argument(
        "--pitch",
        type=float,
        default=None,
        metavar="DEG",
        help="--kind ground: the camera's pitch below the horizon (default searched, 0-20)",
    )
    lo.add_argument(
        "--max-units",
        type=float,
        default=None,
        help="cap on the matching work of the verification cascade, in work units "
        "(one ~ a coarse match, ~0.15 s on one core; default 90)",
    )
    lo.add_argument("--geojson", action="store_true", help="print a GeoJSON FeatureCollection on stdout")
    lo.add_argument("-q", "--quiet", action="store_true")
    lo.set_defaults(func=cmd_locate)
    return p


def add_nprobe_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--nprobe",
        type=int,
        default=None,
        help="inverted lists probed in a large (IVF-PQ) index: more finds more, slower "
        "(default: the index's, chosen from its size; 'index info' shows it)",
    )


def add_service_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "from a tile service (docs/index.md, 'Building from a tile service'): "
        "the only commands that use the network"
    )
    g.add_argument(
        "--xyz", metavar="URL_TEMPLATE", help="XYZ tile URL with {z}/{x}/{y} (or {-y} TMS rows, {q} quadkeys)"
    )
    g.add_argument("--wmts", metavar="CAPABILITIES_URL", help="WMTS GetCapabilities URL (RESTful or KVP)")
    g.add_argument("--wms", metavar="URL", help="WMS endpoint, asked for Web-Mercator tiles with GetMap")
    g.add_argument("--layer", help="WMTS/WMS layer identifier")
    g.add_argument(
        "--tile-matrix-set", help="WMTS tile matrix set (default: a Web-Mercator one of the layer)"
    )
    g.add_argument("--crs", default="EPSG:3857", help="WMS CRS (only EPSG:3857)")
    g.add_argument("--bbox", metavar="W,S,E,N", help="area in degrees")
    g.add_argument("--aoi", metavar="FILE", help="area as a polygon file (GeoJSON, GeoPackage; any CRS)")
    g.add_argument(
        "--zooms",
        default="9-11",
        help="zoom levels, e.g. 9-11 (astronaut photos) or 15-17 (aerial); default 9-11",
    )
    g.add_argument(
        "--cache",
        metavar="FILE.mbtiles",
        help="tile cache (default: DIR.cache/<host>-<layer>-<year>-<hash>.mbtiles)",
    )
    g.add_argument(
        "--year",
        metavar="LABEL",
        help="year or label of this imagery, kept per tile (tiles.gpkg, candidates)",
    )
    g.add_argument(
        "--attribution", metavar="TEXT", help="attribution the service asks for (kept in the manifest)"
    )
    g.add_argument("--licence", metavar="TEXT", help="licence of the imagery (kept in the manifest)")
    g.add_argument(
        "--max-requests-per-s", type=float, default=8.0, metavar="N", help="request rate cap (default 8)"
    )
    g.add_argument(
        "--yes", action="store_true", help="fetch even when the area and zooms mean more than 10,000 tiles"
    )
    g.add_argument(
        "--allow-missing",
        action="store_true",
        help="index even when some tiles could not be fetched (they are counted in the manifest)",
    )


def add_prior_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("search priors (docs/PRIORS.md): only tiles inside the region are ranked")
    g.add_argument("--nadir", metavar="LAT,LON", help="the point below the camera at capture time")
    g.add_argument(
        "--max-tilt",
        type=float,
        metavar="DEG",
        help="largest off-nadir angle of the view (default: up to the horizon)",
    )
    g.add_argument("--near", metavar="LAT,LON", help="a GPS fix of the camera (with --radius-km)")
    g.add_argument("--radius-km", type=float, metavar="R", help="how far from --near the photo can be")
    g.add_argument("--aoi", metavar="FILE", help="a polygon file (GeoJSON, GeoPackage; any CRS)")
    g.add_argument(
        "--tle", metavar="FILE", help="two-line elements of the spacecraft; nadir at the capture time"
    )
    g.add_argument(
        "--capture-time",
        metavar="ISO",
        help="UTC capture time for --tle when the photo has no EXIF DateTimeOriginal",
    )
    g.add_argument(
        "--catalogue",
        metavar="FILE",
        help="NASA-style CSV (frame, nadir lat/lon, focal length, camera); the frame from the file name",
    )


LATLON_FLAGS = ("--nadir", "--near", "--bbox")  # values that may start with a minus sign


def _attach_negative_coordinates(argv: list[str]) -> list[str]:
    """'--nadir -33.9,18.4' -> '--nadir=-33.9,18.4' (argparse would read the value as a flag)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in LATLON_FLAGS and i + 1 < len(argv) and re.match(r"^-\d", argv[i + 1]):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(_attach_negative_coordinates(argv))
    try:
        return int(args.func(args) or 0)
    except Cancelled as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nerror: interrupted (run the same command again to resume an index build)", file=sys.stderr)
        return 130
    except AstroLocError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
