import numpy as np
import pytest
import rasterio
from PIL import Image

from astroloc_qgis.engine import api
from astroloc_qgis.engine.search import (
    SQUARE_ASPECTS,
    aspect_hypotheses,
    query_image,
    query_variants,
    retrieve,
    rotate,
    search,
    unsqueeze,
)


def raster_crop(raster, col: int, row: int, w: int, h: int) -> np.ndarray:
    with rasterio.open(raster) as ds:
        return np.ascontiguousarray(
            np.moveaxis(ds.read([1, 2, 3], window=rasterio.windows.Window(col, row, w, h)), 0, -1)
        )


def test_rotate_exact_and_inscribed():
    img = np.arange(6 * 8 * 3, dtype=np.uint8).reshape(6, 8, 3)
    assert np.array_equal(rotate(img, 90), np.rot90(img))
    assert np.array_equal(rotate(img, 0), img) and rotate(img, 270).shape == (8, 6, 3)
    big = np.full((300, 400, 3), 200, np.uint8)
    r45 = rotate(big, 45)
    assert 0 < r45.shape[0] < 300 and 0 < r45.shape[1] < 400
    assert r45.min() >= 150  # inside the rotated frame: no filled corners


def test_query_image_has_the_area_of_a_tile():
    q = query_image(np.zeros((768, 1024, 3), np.uint8), 256)
    assert abs(q.shape[0] * q.shape[1] - 256 * 256) < 600 and q.shape[1] > q.shape[0]


def test_retrieve_keeps_the_best_rotation_per_tile():
    class FakeIndex:
        def search(self, queries, k, ids=None, nprobe=None):
            scores = np.array([[0.9, 0.5, 0.1], [0.95, 0.7, 0.2]], np.float32)
            ids = np.array([[3, 1, 2], [1, 3, -1]])
            return scores[: len(queries)], ids[: len(queries)]

    ranked = retrieve(FakeIndex(), np.zeros((2, 4), np.float32), [0, 90], k=3)
    assert [(t, r) for t, _, r in ranked] == [(1, 90), (3, 0), (2, 0)]
    assert [s for _, s, _ in ranked] == pytest.approx([0.95, 0.9, 0.1])


def test_order_by_subdescriptor_reorders_the_same_set():
    from astroloc_qgis.engine.search import order_by_subdescriptor

    emb = np.zeros((4, 4), np.float32)
    emb[:, :2] = [[1, 0], [0, 1], [0.6, 0.8], [1, 0]]  # leading (ordering) part
    emb[:, 2:] = [[1, 0], [1, 0], [1, 0], [0, 1]]  # the rest

    class Model:
        order_dims = 2

    class FakeIndex:
        model = Model()

        def embeddings(self):
            return emb

    queries = np.array([[0, 1, 1, 0], [1, 0, 1, 0]], np.float32)
    ranked = [(3, 0.9, 0), (0, 0.8, 0), (1, 0.7, 0)]
    out = order_by_subdescriptor(FakeIndex(), queries, [0, 90], ranked)
    # same tiles, ordered by the max over rotations of the leading-part cosine; tile 2 never enters
    assert sorted(t for t, _, _ in out) == [0, 1, 3]
    assert out[0][1] == pytest.approx(1.0) and {out[0][0], out[1][0], out[2][0]} == {0, 1, 3}
    assert dict((t, r) for t, _, r in out)[1] == 0 and dict((t, r) for t, _, r in out)[0] == 90
    Model.order_dims = 0
    assert order_by_subdescriptor(FakeIndex(), queries, [0, 90], ranked) == ranked


def test_aspect_hypotheses_only_for_square_photos():
    assert aspect_hypotheses((1024, 1024, 3), SQUARE_ASPECTS) == SQUARE_ASPECTS
    assert aspect_hypotheses((1010, 1024, 3), SQUARE_ASPECTS) == SQUARE_ASPECTS
    assert aspect_hypotheses((683, 1024, 3), SQUARE_ASPECTS) == (1.0,)
    assert aspect_hypotheses((384, 512, 3), SQUARE_ASPECTS) == (1.0,)
    assert aspect_hypotheses((512, 512, 3), (1.0,)) == (1.0,)
    assert query_variants((0, 90), (1.0, 1.5)) == [(0, 1.0), (90, 1.0), (0, 1.5), (90, 1.5)]
    img = np.zeros((60, 60, 3), np.uint8)
    assert unsqueeze(img, 1.5).shape == (60, 90, 3) and unsqueeze(img, 1 / 1.5).shape == (90, 60, 3)


def test_a_squeezed_square_photo_is_found_unsqueezed(built_index, raster_a, tmp_path):
    # a 3:2 ground region around the scale-2 tile (128, 64, 128, 128), delivered squeezed to a square
    photo = tmp_path / "squeezed.png"
    Image.fromarray(raster_crop(raster_a, 96, 64, 192, 128)).resize((128, 128), Image.BILINEAR).save(photo)
    index = api.open_index(str(built_index))
    top = search(str(photo), index, k=5, aspects=SQUARE_ASPECTS)["features"][0]["properties"]
    assert top["window"] == [128, 64, 128, 128] and top["aspect"] == 1.5 and top["rotation"] == 0
    plain = search(str(photo), index, k=5)["features"][0]["properties"]  # the default: no aspect variants
    assert plain["aspect"] == 1.0 and plain["score"] < top["score"]


def test_a_non_square_photo_gets_no_aspect_variants(built_index, raster_a, tmp_path):
    photo = tmp_path / "wide.png"
    Image.fromarray(raster_crop(raster_a, 176, 128, 96, 64)).save(photo)
    fc = search(str(photo), api.open_index(str(built_index)), k=20, aspects=SQUARE_ASPECTS)
    assert fc["status"] == "ok" and {f["properties"]["aspect"] for f in fc["features"]} == {1.0}
