"""Face-mesh points in pixel-centre coordinates and the nose outline drawn from them (astronaut)."""

import numpy as np
import pytest
import skimage.data

from maskgan_studio.photos import landmarks as lm
from maskgan_studio.photos import mediapipe_models
from maskgan_studio.photos.face_parts import part_masks

pytestmark = pytest.mark.skipif(not mediapipe_models.available(),
                                reason="mediapipe is not installed (the photos extra)")


@pytest.fixture(scope="module")
def astronaut_mesh():
    return mediapipe_models.mesh_points(skimage.data.astronaut())


def test_mesh_points_put_pixel_centres_on_whole_numbers():
    """Mirrored, pixel x becomes width - 1 - x; mediapipe's raw x * width would give width - x."""
    photo = skimage.data.astronaut()
    mesh = mediapipe_models.mesh_points(photo)
    mirrored = mediapipe_models.mesh_points(np.ascontiguousarray(photo[:, ::-1]))
    width = photo.shape[1]
    assert mesh[:, 0].mean() + mirrored[:, 0].mean() == pytest.approx(width - 1, abs=0.4)


def _segments_cross(a, b, c, d) -> bool:
    def side(p, q, r):
        return np.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0


def test_nose_outline_is_a_simple_polygon_that_leaves_the_cheeks_beside_the_bridge(astronaut_mesh):
    outline = astronaut_mesh[list(lm.NOSE)]
    edges = [(outline[i], outline[(i + 1) % len(outline)]) for i in range(len(outline))]
    for i, (a, b) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if (i, j) != (0, len(edges) - 1):
                assert not _segments_cross(a, b, *edges[j]), f"nose outline edges {i} and {j} cross"
    nose = part_masks((512, 512), astronaut_mesh)["nose"]
    for inside in (1, 4, 6, 195):  # tip, ridge of the bridge
        x, y = np.rint(astronaut_mesh[inside]).astype(int)
        assert nose[y, x]
    for beside in (114, 343, 217, 437):  # cheeks beside the bridge, inside the old convex hull
        x, y = np.rint(astronaut_mesh[beside]).astype(int)
        assert not nose[y, x]
