import numpy as np
import pytest

from astroloc_qgis.engine.search import query_image, retrieve, rotate


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
        def search(self, queries, k):
            scores = np.array([[0.9, 0.5, 0.1], [0.95, 0.7, 0.2]], np.float32)
            ids = np.array([[3, 1, 2], [1, 3, -1]])
            return scores[: len(queries)], ids[: len(queries)]

    ranked = retrieve(FakeIndex(), np.zeros((2, 4), np.float32), [0, 90], k=3)
    assert [(t, r) for t, _, r in ranked] == [(1, 90), (3, 0), (2, 0)]
    assert [s for _, s, _ in ranked] == pytest.approx([0.95, 0.9, 0.1])


def test_order_by_subdescriptor_reorders_the_same_set():
    from astroloc_qgis.engine.search import order_by_subdescriptor

    emb = np.zeros((4, 4), np.float32)
    emb[:, :2] = [[1, 0], [0, 1], [0.6, 0.8], [1, 0]]   # leading (ordering) part
    emb[:, 2:] = [[1, 0], [1, 0], [1, 0], [0, 1]]       # the rest

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
