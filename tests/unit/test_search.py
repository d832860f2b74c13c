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
