"""Published checkpoints a user brings (models/earthloc.py, models/salad.py, models/spe.py): random-weight
files in exactly the published key layout load through the registry, embed, and build an index that
remembers its model; other layouts are refused naming the keys."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from conftest import texture
from torch.nn import functional as F

from astroloc_qgis.engine import api, cli
from astroloc_qgis.engine.errors import ModelError
from astroloc_qgis.engine.models import available_models, get_model
from astroloc_qgis.engine.models.earthloc import build_earthloc
from astroloc_qgis.engine.models.salad import build_salad
from astroloc_qgis.engine.models.spe import build_spe
from tests.helpers.checkpoints import (
    earthloc_shapes,
    earthloc_state_dict,
    salad_shapes,
    salad_state_dict,
    spe_shapes,
    spe_state_dict,
)

#: from the published code: EarthLoc's APLModel (torchvision ResNet-50 without layer4, MixVPR
#: 1024 ch x 20 x 20 -> 1024 x 4 rows, fc 4096), serizba/salad's VPRModel (hub dinov2_vitb14, SALAD
#: 64 x 128 + 256), EarthLoc2's DINOv2FeatureExtractor (timm vit_base_patch14_reg4_dinov2 at 518 px,
#: SALAD 32 x 64 + 1024)
EARTHLOC_KEYS = {
    "backbone.model.conv1.weight": (64, 3, 7, 7),
    "backbone.model.bn1.running_var": (64,),
    "backbone.model.layer1.0.downsample.0.weight": (256, 64, 1, 1),
    "backbone.model.layer2.0.conv2.weight": (128, 128, 3, 3),
    "backbone.model.layer3.5.conv3.weight": (1024, 256, 1, 1),
    "backbone.model.layer3.0.downsample.1.num_batches_tracked": (),
    "aggregator.mix.0.mix.0.weight": (400,),
    "aggregator.mix.3.mix.3.weight": (400, 400),
    "aggregator.channel_proj.weight": (1024, 1024),
    "aggregator.row_proj.weight": (4, 400),
    "fc.weight": (4096, 4096),
}
SALAD_KEYS = {
    "backbone.model.cls_token": (1, 1, 768),
    "backbone.model.pos_embed": (1, 1370, 768),
    "backbone.model.mask_token": (1, 768),
    "backbone.model.patch_embed.proj.weight": (768, 3, 14, 14),
    "backbone.model.blocks.11.attn.qkv.weight": (2304, 768),
    "backbone.model.blocks.0.ls1.gamma": (768,),
    "backbone.model.blocks.5.mlp.fc2.weight": (768, 3072),
    "backbone.model.norm.bias": (768,),
    "aggregator.token_features.0.weight": (512, 768),
    "aggregator.token_features.2.weight": (256, 512),
    "aggregator.cluster_features.0.weight": (512, 768, 1, 1),
    "aggregator.cluster_features.3.weight": (128, 512, 1, 1),
    "aggregator.score.3.weight": (64, 512, 1, 1),
    "aggregator.dust_bin": (),
}
EARTHLOC2_KEYS = {
    "backbone.cls_token": (1, 1, 768),
    "backbone.reg_token": (1, 4, 768),
    "backbone.pos_embed": (1, 1369, 768),
    "backbone.blocks.11.mlp.fc1.weight": (3072, 768),
    "aggregator.token_features.2.weight": (1024, 512),
    "aggregator.cluster_features.3.weight": (64, 512, 1, 1),
    "aggregator.score.3.weight": (32, 512, 1, 1),
}
EARTHLOC2 = {"registers": 4, "clusters": 32, "cluster_dim": 64, "token_dim": 1024, "layout": "earthloc2"}
#: a small ViT + SALAD in serizba's layout, for the tests that need no ViT-B
SMALL = {"dim": 64, "depth": 2, "grid": 4, "clusters": 8, "cluster_dim": 16, "token_dim": 32}


def _save(sd, path, wrap=None):
    torch.save(sd if wrap is None else wrap(sd), path)
    return path


@pytest.fixture(scope="module")
def earthloc_ckpt(tmp_path_factory):
    return _save(earthloc_state_dict(), tmp_path_factory.mktemp("el") / "best_trained_model.pt")


def _images():
    photo = texture(240, 360, 5)
    return [photo, texture(500, 500, 6), photo[:, :, 1]]


def test_published_key_layouts():
    el = earthloc_shapes()
    # ResNet-50's stem + 3 + 4 + 6 bottlenecks (258 tensors), 4 mixers + 2 projections (28), fc (2)
    assert len(el) == 288 and not any(".layer4." in k for k in el)
    assert {k: el[k] for k in EARTHLOC_KEYS} == EARTHLOC_KEYS
    sa = salad_shapes()
    # 5 ViT tensors + 12 blocks x 14 + the final norm's 2; 13 in the aggregator
    assert len(sa) == 188 and {k: sa[k] for k in SALAD_KEYS} == SALAD_KEYS
    e2 = salad_shapes(**EARTHLOC2)
    assert len(e2) == 188 and {k: e2[k] for k in EARTHLOC2_KEYS} == EARTHLOC2_KEYS
    assert not any("mask_token" in k or k.startswith("backbone.model.") for k in e2)


def _embeds_as_a_descriptor(spec: str, imgs: list[np.ndarray], dim: int) -> np.ndarray:
    """The model's embedding of the images: unit `dim`-vectors, the same alone as in a batch (to
    float rounding: tiles are embedded in batches, photos alone), also from a fresh load; a grey
    photo is its three equal channels; different images differ."""
    e = get_model(spec).embed(imgs)
    assert e.shape == (len(imgs), dim) and np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5)
    assert np.allclose(get_model(spec).embed(imgs[:1]), e[:1], atol=1e-6)
    grey3 = np.repeat(imgs[2][:, :, None], 3, axis=2)
    assert np.allclose(get_model(spec).embed([grey3]), e[2:], atol=1e-6)
    assert float(e[0] @ e[1]) < 0.999
    return e


def test_earthloc_checkpoint_embeds(earthloc_ckpt):
    m = get_model(f"earthloc:{earthloc_ckpt}")
    assert (m.name, m.descriptor_dim, m.input_size) == ("earthloc", 4096, 320)
    assert m.model_id()["weights_path"] == str(earthloc_ckpt)
    imgs = _images()
    _embeds_as_a_descriptor(f"earthloc:{earthloc_ckpt}", imgs, 4096)
    # the network computes what the published modules do, written out functionally from the state dict
    sd = torch.load(earthloc_ckpt, weights_only=True)
    x = torch.from_numpy(m._prepare(imgs[0])[None])
    with torch.inference_mode():
        assert torch.allclose(m.net(x), _earthloc_reference(sd, x), atol=1e-4)


def _earthloc_reference(sd, x):
    def bn(x, p):
        return F.batch_norm(
            x, sd[p + ".running_mean"], sd[p + ".running_var"], sd[p + ".weight"], sd[p + ".bias"]
        )

    r = "backbone.model."
    x = F.max_pool2d(F.relu(bn(F.conv2d(x, sd[r + "conv1.weight"], stride=2, padding=3), r + "bn1")), 3, 2, 1)
    for layer, blocks in ((1, 3), (2, 4), (3, 6)):
        for b in range(blocks):
            p = f"{r}layer{layer}.{b}."
            stride = 2 if b == 0 and layer > 1 else 1
            y = F.relu(bn(F.conv2d(x, sd[p + "conv1.weight"]), p + "bn1"))
            y = F.relu(bn(F.conv2d(y, sd[p + "conv2.weight"], stride=stride, padding=1), p + "bn2"))
            y = bn(F.conv2d(y, sd[p + "conv3.weight"]), p + "bn3")
            if b == 0:
                x = bn(F.conv2d(x, sd[p + "downsample.0.weight"], stride=stride), p + "downsample.1")
            x = F.relu(x + y)
    assert x.shape[1:] == (1024, 20, 20)
    x = x.flatten(2)
    for i in range(4):
        p = f"aggregator.mix.{i}.mix."
        y = F.layer_norm(x, (400,), sd[p + "0.weight"], sd[p + "0.bias"])
        x = x + F.linear(
            F.relu(F.linear(y, sd[p + "1.weight"], sd[p + "1.bias"])), sd[p + "3.weight"], sd[p + "3.bias"]
        )
    x = F.linear(x.permute(0, 2, 1), sd["aggregator.channel_proj.weight"], sd["aggregator.channel_proj.bias"])
    x = F.linear(x.permute(0, 2, 1), sd["aggregator.row_proj.weight"], sd["aggregator.row_proj.bias"])
    x = F.normalize(x.flatten(1), dim=1)
    return F.normalize(F.linear(x, sd["fc.weight"], sd["fc.bias"]), dim=-1)


def test_salad_vitb_published_checkpoint(tmp_path):
    ckpt = _save(salad_state_dict(), tmp_path / "dino_salad.ckpt")
    m = get_model(f"salad:{ckpt}")
    assert (m.descriptor_dim, m.input_size, m.layout) == (8448, 322, "salad")
    e = m.embed(_images()[:1])
    assert e.shape == (1, 8448) and abs(float(np.linalg.norm(e)) - 1) < 1e-5


def test_salad_layouts_and_aggregation(tmp_path):
    serizba = _save(salad_state_dict(**SMALL), tmp_path / "s.ckpt")
    m = get_model(f"salad:{serizba}")
    assert (m.descriptor_dim, m.input_size) == (8 * 16 + 32, 322)
    imgs = _images()
    e = m.embed(imgs)
    assert e.shape == (3, 160) and np.allclose(np.linalg.norm(e, axis=1), 1, atol=1e-5)
    assert np.array_equal(e, m.embed(imgs))
    # the aggregator as published: per-cluster sums by repeat and sum, cluster vectors l-major
    net = m.net
    fmap, token = torch.randn(2, 64, 5, 6), torch.randn(2, 64)
    with torch.inference_mode():
        agg = net.aggregator
        f = agg.cluster_features(fmap).flatten(2)
        p = _published_sinkhorn(agg.score(fmap).flatten(2), agg.dust_bin)[:, :-1]
        v = (f.unsqueeze(2).repeat(1, 1, 8, 1) * p.unsqueeze(1).repeat(1, 16, 1, 1)).sum(-1)
        want = torch.cat(
            [F.normalize(agg.token_features(token), dim=-1), F.normalize(v, dim=1).flatten(1)], -1
        )
        assert torch.allclose(agg(fmap, token), F.normalize(want, dim=-1), atol=1e-5)
    # the same weights in EarthLoc2's timm layout (registers, no class-token position): same network
    regs = salad_state_dict(**{**SMALL, "registers": 4, "layout": "earthloc2"}, seed=3)
    meta = {k.replace("backbone.", "backbone.model."): v for k, v in regs.items()}
    meta["backbone.model.register_tokens"] = meta.pop("backbone.model.reg_token")
    pos = meta["backbone.model.pos_embed"]
    meta["backbone.model.pos_embed"] = torch.cat([torch.zeros_like(pos[:, :1]), pos], dim=1)
    timm_ckpt = _save(regs, tmp_path / "earthloc2.torch")
    m2 = get_model(f"salad:{timm_ckpt}")
    assert (m2.input_size, m2.layout) == (518, "earthloc2")
    twin, _ = build_salad(meta)
    x = torch.randn(1, 3, 56, 56)  # the trained 4 x 4 grid: no interpolation either way
    with torch.inference_mode():
        assert torch.allclose(m2.net(x), twin(x), atol=1e-5)


def _published_sinkhorn(s, dust, iters=3):
    """SALAD's optimal transport as the paper writes it (log-domain Sinkhorn, dustbin row)."""
    b, m, n = s.shape
    s = torch.cat([s, dust.expand(b, 1, n)], 1)
    norm = -torch.log(torch.tensor(float(n + m)))
    log_a = torch.cat([norm.expand(m), norm + torch.log(torch.tensor(float(n - m)))[None]])
    log_b = norm.expand(n)
    u, v = torch.zeros(b, m + 1), torch.zeros(b, n)
    for _ in range(iters):
        u = log_a - torch.logsumexp(s + v.unsqueeze(1), 2)
        v = log_b - torch.logsumexp(s + u.unsqueeze(2), 1)
    return torch.exp(s + u.unsqueeze(2) + v.unsqueeze(1) - norm)


def test_checkpoint_layout_errors_name_the_keys(tmp_path):
    sd = earthloc_state_dict(seed=1)
    sd["head.weight"] = sd.pop("fc.weight")
    del sd["aggregator.row_proj.bias"]
    with pytest.raises(ModelError) as err:
        build_earthloc(sd)
    msg = err.value.message
    assert "2 missing: aggregator.row_proj.bias, fc.weight" in msg and "1 unexpected: head.weight" in msg
    sd["fc.weight"] = torch.zeros(4096, 2048)
    del sd["head.weight"], sd["backbone.model.layer3.5.bn3.num_batches_tracked"]  # that one may be absent
    sd["aggregator.row_proj.bias"] = torch.zeros(4)
    with pytest.raises(ModelError, match=r"1 with other shapes: fc\.weight \(4096, 2048\) vs \(4096, 4096\)"):
        build_earthloc(sd)
    # a SALAD checkpoint is not an EarthLoc one (BatchNorm's 43 step counters may be absent), and
    # the other way round: counts and first names
    small = salad_state_dict(**SMALL)
    with pytest.raises(
        ModelError, match=r"245 missing: aggregator\.channel_proj\.bias.*\(241 more\); 48 unexpected"
    ):
        build_earthloc(small)
    el = _save(earthloc_state_dict(), tmp_path / "el.pt")
    with pytest.raises(
        ModelError,
        match=r"el\.pt: not the DINOv2 \+ SALAD \(salad layout\) key layout \(\d+ missing: .*288 unexpected",
    ):
        get_model(f"salad:{el}")
    wide = dict(small)
    wide["aggregator.token_features.0.weight"] = torch.zeros(512, 70)
    with pytest.raises(ModelError, match=r"aggregator\.token_features\.0\.weight \(512, 70\) vs \(512, 64\)"):
        build_salad(wide)


def test_checkpoint_files_refused_or_unwrapped(tmp_path, earthloc_ckpt):
    with pytest.raises(ModelError, match="needs a checkpoint file"):
        get_model("earthloc")
    with pytest.raises(ModelError, match=r"none\.ckpt: DINOv2 \+ SALAD checkpoint not found"):
        get_model(f"salad:{tmp_path / 'none.ckpt'}")
    # weights_only=True refuses pickled objects
    torch.save({"obj": np.random.default_rng(0)}, tmp_path / "pickle.pt")
    with pytest.raises(ModelError, match="weights-only"):
        get_model(f"earthloc:{tmp_path / 'pickle.pt'}")
    torch.save({"fc.weight": torch.zeros(1), "epoch": 3}, tmp_path / "mixed.pt")
    with pytest.raises(ModelError, match=r"'epoch' is not a tensor \(int\)"):
        get_model(f"earthloc:{tmp_path / 'mixed.pt'}")
    # a training checkpoint (EarthLoc's ckpt_*.torch) saved from DataParallel: the same network
    small = salad_state_dict(**SMALL)
    wrapped = _save(
        small,
        tmp_path / "ckpt_e03.torch",
        lambda sd: {
            "epoch_num": 4,
            "model_state_dict": {"module." + k: v for k, v in sd.items()},
            "best_r5": 1.0,
        },
    )
    plain = _save(small, tmp_path / "plain.ckpt")
    img = _images()[:1]
    assert np.array_equal(get_model(f"salad:{wrapped}").embed(img), get_model(f"salad:{plain}").embed(img))
    assert {m["name"]: m["ready"] for m in available_models()}.items() >= {
        "earthloc": False,
        "salad": False,
    }.items()


def test_earthloc_index_remembers_its_model(tmp_path, raster_a, earthloc_ckpt, capsys):
    idx = tmp_path / "idx"
    argv = ["index", "build", str(raster_a), "--out", str(idx), "--model", f"earthloc:{earthloc_ckpt}"]
    assert cli.main([*argv, "--tile-px", "128", "--scales", "2", "-q"]) == 0
    manifest = json.loads((idx / "manifest.json").read_text())
    assert manifest["model"]["name"] == "earthloc" and manifest["descriptor_dim"] == 4096
    assert (
        manifest["model"]["weights_path"] == str(earthloc_ckpt)
        and len(manifest["model"]["weights_hash"]) == 64
    )
    capsys.readouterr()
    assert cli.main(["index", "info", str(idx)]) == 0
    assert (
        f"earthloc  (4096-d, weights {manifest['model']['weights_hash'][:12]})  checkpoint {earthloc_ckpt}"
        in (capsys.readouterr().out)
    )
    import rasterio
    from PIL import Image

    photo = tmp_path / "q.png"
    with rasterio.open(raster_a) as ds:
        grey = ds.read(2, window=((0, 256), (0, 256)))
    Image.fromarray(grey).save(photo)  # a grey photo: three equal channels
    # search reopens the model from the manifest (locate does the same, then matches: model-free work)
    fc = api.search(str(photo), str(idx), k=2)
    assert fc["index"]["model"] == "earthloc" and len(fc["features"]) == 2
    capsys.readouterr()
    # another model, or other weights of this one: refused, saying which
    small = _save(salad_state_dict(**SMALL), tmp_path / "s.ckpt")
    assert cli.main(["search", str(photo), "--index", str(idx), "--model", f"salad:{small}", "-q"]) == 2
    assert "index was built with model 'earthloc'" in capsys.readouterr().err
    other = _save(earthloc_state_dict(seed=2), tmp_path / "other.pt")
    api.clear_cache()
    assert cli.main(["search", str(photo), "--index", str(idx), "--model", f"earthloc:{other}", "-q"]) == 2
    assert "other weights of 'earthloc'" in capsys.readouterr().err
    # the index's checkpoint moved away: refused, naming it
    earthloc_ckpt.rename(tmp_path / "moved.pt")
    api.clear_cache()
    try:
        assert cli.main(["search", str(photo), "--index", str(idx), "-q"]) == 2
        assert f"model 'earthloc' cannot be loaded: {earthloc_ckpt}: EarthLoc checkpoint not found" in (
            capsys.readouterr().err
        )
    finally:
        (tmp_path / "moved.pt").rename(earthloc_ckpt)


#: from SPE-Net's code (github.com/BistuCS/SPE-Net, sample4geo/hand_dino): two_view_net's scalars and
#: model_1 = build_convnext: `convnext` timm's ViT-B/14 DINOv2 at 518 px (LayerScale, class token with a
#: position row, no registers, no mask token, head Identity), ClassBlocks 768 -> 512 -> 701,
#: TripletAttention's two 7 x 7 gates, MLP1D 768 -> 2048 -> 256 (1-d convolutions, no bias), GateLinear
SPE_KEYS = {
    "logit_scale": (),
    "w_blocks3": (),
    "model_1.convnext.cls_token": (1, 1, 768),
    "model_1.convnext.pos_embed": (1, 1370, 768),
    "model_1.convnext.patch_embed.proj.weight": (768, 3, 14, 14),
    "model_1.convnext.blocks.11.ls2.gamma": (768,),
    "model_1.convnext.blocks.11.mlp.fc1.weight": (3072, 768),
    "model_1.convnext.norm.weight": (768,),
    "model_1.classifier1.add_block.0.weight": (512, 768),
    "model_1.classifier1.add_block.1.running_var": (512,),
    "model_1.classifier_mcb4.classifier.0.weight": (701, 512),
    "model_1.tri_layer.cw.conv.conv.weight": (1, 2, 7, 7),
    "model_1.tri_layer.hc.conv.bn.num_batches_tracked": (),
    "model_1.proj.mlp.0.weight": (2048, 768, 1),
    "model_1.proj_obj.mlp.3.weight": (256, 2048, 1),
    "model_1.GateLinear.weight": (775, 768),
}
#: a small ViT (2 heads of 64) on a 4 x 4 grid (56 px), for the tests that need no ViT-B
SPE_SMALL = {"dim": 128, "depth": 2, "grid": 4}


@pytest.fixture(scope="module")
def spe_ckpt(tmp_path_factory):
    return _save(spe_state_dict(**SPE_SMALL), tmp_path_factory.mktemp("spe") / "weights_end.pth")


def test_spe_key_layout_and_vitb(tmp_path):
    sp = spe_shapes()
    # 174 ViT tensors (4 + 12 blocks x 14 + the final norm's 2), 5 ClassBlocks x 9, 2 gates x 6,
    # 2 projections x 7, GateLinear's 2, 5 scalars
    assert len(sp) == 252 and {k: sp[k] for k in SPE_KEYS} == SPE_KEYS
    assert sum(k.startswith("model_1.convnext.") for k in sp) == 174
    assert not any("mask_token" in k or "reg_token" in k or ".head." in k for k in sp)
    ckpt = _save(spe_state_dict(), tmp_path / "weights_e3_0.9500.pth")
    m = get_model(f"spe:{ckpt}")
    assert (m.name, m.descriptor_dim, m.input_size) == ("spe", 768, 518)
    vit = m.net.vit
    assert (len(vit.blocks), vit.blocks[0].attn.heads, vit.pos_embed.shape[1]) == (12, 12, 1370)
    # a ViT-S/14 variant (6 heads; the head's input widths follow the ViT's), at a 16 x 16 grid
    small = build_spe(spe_state_dict(dim=384, depth=1, grid=16))
    assert (small.descriptor_dim, small.input_size, small.vit.blocks[0].attn.heads) == (384, 224, 6)


def test_spe_checkpoint_embeds(spe_ckpt, tmp_path):
    m = get_model(f"spe:{spe_ckpt}")
    assert (m.name, m.descriptor_dim, m.input_size) == ("spe", 128, 56)
    assert m.model_id()["weights_path"] == str(spe_ckpt)
    imgs = _images()
    e = _embeds_as_a_descriptor(f"spe:{spe_ckpt}", imgs, 128)
    assert np.array_equal(e, m.embed(imgs))  # deterministic
    # the descriptor is timm's ViT's class token after the final norm, L2-normalised (SPE-Net's
    # gap_feature), written out functionally from the state dict
    sd = torch.load(spe_ckpt, weights_only=True)
    x = torch.from_numpy(np.stack([m._prepare(img) for img in imgs[:2]]))
    with torch.inference_mode():
        assert torch.allclose(m.net(x), _timm_class_token(sd, x, "model_1.convnext.", heads=2), atol=1e-5)
    # DataParallel's "module." prefix, BatchNorm's step counters absent (old torch): the same network
    dp = {"module." + k: v for k, v in sd.items() if not k.endswith("num_batches_tracked")}
    assert np.array_equal(get_model(f"spe:{_save(dp, tmp_path / 'dp.pth')}").embed(imgs), e)


def _timm_class_token(sd, x, r, heads):
    """timm's VisionTransformer (class token, position row for it, LayerScale), pooled by the token."""
    dim = sd[r + "cls_token"].shape[-1]
    x = F.conv2d(x, sd[r + "patch_embed.proj.weight"], sd[r + "patch_embed.proj.bias"], stride=14)
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([sd[r + "cls_token"].expand(len(x), -1, -1), x], 1) + sd[r + "pos_embed"]
    b, n, _ = x.shape
    depth = 1 + max(int(k[len(r) :].split(".")[1]) for k in sd if k.startswith(r + "blocks."))

    def ln(x, p):
        return F.layer_norm(x, (dim,), sd[p + ".weight"], sd[p + ".bias"], eps=1e-6)

    def lin(x, p):
        return F.linear(x, sd[p + ".weight"], sd[p + ".bias"])

    for i in range(depth):
        p = f"{r}blocks.{i}."
        q, k, v = lin(ln(x, p + "norm1"), p + "attn.qkv").reshape(b, n, 3, heads, -1).permute(2, 0, 3, 1, 4)
        a = ((q @ k.transpose(-2, -1)) * q.shape[-1] ** -0.5).softmax(-1) @ v
        x = x + sd[p + "ls1.gamma"] * lin(a.transpose(1, 2).reshape(b, n, dim), p + "attn.proj")
        y = lin(F.gelu(lin(ln(x, p + "norm2"), p + "mlp.fc1")), p + "mlp.fc2")
        x = x + sd[p + "ls2.gamma"] * y
    return F.normalize(ln(x, r + "norm")[:, 0], dim=-1)


def test_spe_layout_errors_name_the_keys(tmp_path):
    sd = spe_state_dict(**SPE_SMALL, seed=1)
    gate = sd.pop("model_1.GateLinear.weight")
    with pytest.raises(ModelError, match=r"SPE-Net key layout \(1 missing: model_1\.GateLinear\.weight\)"):
        build_spe(sd)
    sd["model_1.GateLinear.weight"] = gate[:, :100]
    with pytest.raises(
        ModelError, match=r"1 with other shapes: model_1\.GateLinear\.weight \(135, 100\) vs \(135, 128\)"
    ):
        build_spe(sd)
    sd["model_1.GateLinear.weight"] = gate
    # a mask token or register tokens are no part of SPE-Net's timm ViT
    sd["model_1.convnext.mask_token"] = torch.zeros(1, 128)
    with pytest.raises(ModelError, match=r"1 unexpected: model_1\.convnext\.mask_token"):
        build_spe(sd)
    del sd["model_1.convnext.mask_token"]
    build_spe(sd)  # whole again
    # Sample4Geo's TimmModel (the same repository's baseline: train_university.py) is not SPE-Net
    timm_model = {"model." + k[len("model_1.convnext.") :]: v for k, v in sd.items() if "convnext." in k}
    timm_model["logit_scale"] = sd["logit_scale"]
    with pytest.raises(ModelError, match=r"242 missing: .*; 34 unexpected: model\.blocks"):
        build_spe(timm_model)
    # EarthLoc and SALAD files given as spe:, and an SPE-Net file given as salad:
    el = _save(earthloc_state_dict(), tmp_path / "el.pt")
    with pytest.raises(
        ModelError, match=r"el\.pt: not the SPE-Net key layout \(\d+ missing: .*; 288 unexpected"
    ) as err:
        get_model(f"spe:{el}")
    assert "train_sues.py" in err.value.hint
    sa = _save(salad_state_dict(**SMALL), tmp_path / "s.ckpt")
    with pytest.raises(ModelError, match=r"s\.ckpt: not the SPE-Net key layout \(\d+ missing: .*; 48 unexp"):
        get_model(f"spe:{sa}")
    spe = _save(sd, tmp_path / "weights_end.pth")
    with pytest.raises(ModelError, match=r"not the DINOv2 \+ SALAD \(salad layout\) key layout"):
        get_model(f"salad:{spe}")
    with pytest.raises(ModelError, match="needs a checkpoint file"):
        get_model("spe")
    assert {m["name"]: m["ready"] for m in available_models()}["spe"] is False


def test_spe_index_remembers_its_model(tmp_path, raster_a, spe_ckpt, capsys):
    idx = tmp_path / "idx"
    argv = ["index", "build", str(raster_a), "--out", str(idx), "--model", f"spe:{spe_ckpt}"]
    assert cli.main([*argv, "--tile-px", "128", "--scales", "2", "-q"]) == 0
    manifest = json.loads((idx / "manifest.json").read_text())
    assert manifest["model"]["name"] == "spe" and manifest["descriptor_dim"] == 128
    assert manifest["model"]["weights_path"] == str(spe_ckpt) and manifest["model"]["input_size"] == 56
    assert not (idx / "model_state.npz").exists()
    capsys.readouterr()
    assert cli.main(["index", "info", str(idx)]) == 0
    assert f"spe  (128-d, weights {manifest['model']['weights_hash'][:12]})  checkpoint {spe_ckpt}" in (
        capsys.readouterr().out
    )
    import rasterio
    from PIL import Image

    photo = tmp_path / "q.png"
    with rasterio.open(raster_a) as ds:
        rgb = ds.read(window=((32, 288), (64, 320)))[:3].transpose(1, 2, 0)
    Image.fromarray(np.ascontiguousarray(rgb)).save(photo)
    # search reopens the model from the manifest (locate does the same)
    api.clear_cache()
    fc = api.search(str(photo), str(idx), k=3)
    assert fc["index"]["model"] == "spe" and len(fc["features"]) == 3
    capsys.readouterr()
    other = _save(spe_state_dict(**SPE_SMALL, seed=2), tmp_path / "other.pth")
    assert cli.main(["search", str(photo), "--index", str(idx), "--model", f"spe:{other}", "-q"]) == 2
    assert "other weights of 'spe'" in capsys.readouterr().err
    el = _save(earthloc_state_dict(), tmp_path / "el.pt")
    assert cli.main(["search", str(photo), "--index", str(idx), "--model", f"earthloc:{el}", "-q"]) == 2
    assert "index was built with model 'spe'" in capsys.readouterr().err
