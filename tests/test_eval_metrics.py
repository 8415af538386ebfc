import numpy as np
import pytest

from maskgan_studio.evaluation import metrics


def _image(seed, size=32):
    return np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)


def test_psnr_known_value_and_region():
    truth = np.full((8, 8, 3), 100, np.uint8)
    output = truth.copy()
    output[:4] += 10  # MSE 100 over the top half, 0 elsewhere
    region = np.zeros((8, 8), bool)
    region[:4] = True
    assert metrics.psnr(output, truth, region) == pytest.approx(10 * np.log10(255**2 / 100))
    assert metrics.psnr(output, truth) == pytest.approx(10 * np.log10(255**2 / 50))
    assert metrics.psnr(truth, truth) == metrics.PSNR_CAP_DB
    assert np.isnan(metrics.psnr(output, truth, np.zeros((8, 8), bool)))


def test_ssim_identical_is_one_and_noise_lowers_it():
    a = _image(0)
    assert metrics.ssim(a, a) == pytest.approx(1.0)
    assert metrics.ssim(_image(1), a) < 0.2


def test_changed_region_is_dilated():
    src = np.zeros((21, 21), np.uint8)
    edited = src.copy()
    edited[10, 10] = 13
    region = metrics.changed_region(src, edited, 3)
    assert region[10, 10] and region[10, 13] and region[13, 10]
    assert not region[10, 14] and not region[0, 0]
    assert metrics.changed_region(src, edited, 0).sum() == 1


def test_class_delta_e_per_class():
    mask = np.zeros((16, 16), np.uint8)
    mask[:, 8:] = 1
    truth = np.zeros((16, 16, 3), np.uint8)
    truth[:, :8] = (200, 30, 30)
    truth[:, 8:] = (30, 30, 200)
    output = truth.copy()
    output[:, 8:] = (30, 30, 120)
    errors = metrics.class_delta_e(output, truth, mask)
    assert errors[0] == pytest.approx(0.0, abs=1e-6)
    assert errors[1] > 5
    assert metrics.class_delta_e(output, truth, mask, min_pixels=1000) == {}


def test_class_delta_e_inside_a_region_sees_only_the_pixels_there():
    mask = np.zeros((16, 16), np.uint8)
    truth = np.full((16, 16, 3), 128, np.uint8)
    output = truth.copy()
    output[:, 12:] = (128, 40, 40)  # a quarter of the class region repainted red
    region = np.zeros((16, 16), bool)
    region[:, 8:] = True
    whole = metrics.class_delta_e(output, truth, mask)[0]
    inside = metrics.class_delta_e(output, truth, mask, region=region)[0]
    assert 0 < whole < inside
    assert metrics.class_delta_e(output, truth, mask, region=~region)[0] == pytest.approx(0.0, abs=1e-6)
    assert metrics.class_delta_e(output, truth, mask, region=np.zeros((16, 16), bool)) == {}
