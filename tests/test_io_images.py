import stat

import numpy as np
import pytest
from PIL import Image

from maskgan_studio.errors import InputFileError
from maskgan_studio.io import ImageFileError, atomic, read_image, write_image


def _pattern(height=32, width=48):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (height, width, 3), dtype=np.uint8)


def _blocks(height=32, width=48):
    """Flat 16-pixel blocks of distinct colours: JPEG keeps them within a few levels."""
    rgb = np.zeros((height, width, 3), np.uint8)
    rgb[:16, :16] = (220, 30, 30)
    rgb[16:, 32:] = (30, 30, 220)
    return rgb


def test_png_round_trip_is_exact(tmp_path):
    rgb = _pattern()
    write_image(tmp_path / "a.png", rgb)
    back = read_image(tmp_path / "a.png")
    assert back.dtype == np.uint8 and back.shape == (32, 48, 3)
    assert np.array_equal(back, rgb)


@pytest.mark.parametrize(
    "suffix, pillow_format", [(".jpg", "JPEG"), (".JPEG", "JPEG"), (".webp", "WEBP")]
)
def test_lossy_formats_follow_the_extension(tmp_path, suffix, pillow_format):
    path = tmp_path / f"a{suffix}"
    write_image(path, _blocks())
    with Image.open(path) as image:
        assert image.format == pillow_format
    assert np.abs(read_image(path).astype(int) - _blocks()).mean() < 4


def test_quality_changes_the_jpeg(tmp_path):
    write_image(tmp_path / "low.jpg", _pattern(), quality=10)
    write_image(tmp_path / "high.jpg", _pattern(), quality=95)
    assert (tmp_path / "low.jpg").stat().st_size < (tmp_path / "high.jpg").stat().st_size / 2


def test_greyscale_becomes_three_equal_channels(tmp_path):
    grey = np.arange(256, dtype=np.uint8).reshape(16, 16)
    Image.fromarray(grey).save(tmp_path / "g.png")
    rgb = read_image(tmp_path / "g.png")
    assert rgb.shape == (16, 16, 3)
    assert all(np.array_equal(rgb[..., c], grey) for c in range(3))


def test_rgba_is_composited_over_black(tmp_path):
    rgba = np.zeros((1, 3, 4), np.uint8)
    rgba[0] = [(200, 100, 50, 255), (200, 100, 50, 0), (200, 100, 50, 128)]
    Image.fromarray(rgba).save(tmp_path / "a.png")
    rgb = read_image(tmp_path / "a.png")
    assert rgb[0, 0].tolist() == [200, 100, 50]
    assert rgb[0, 1].tolist() == [0, 0, 0]
    assert rgb[0, 2].tolist() == [100, 50, 25]


def test_palette_png_gives_its_colours_and_transparent_index_is_black(tmp_path):
    image = Image.frombytes("P", (3, 1), bytes([0, 1, 2]))
    image.putpalette([10, 20, 30, 40, 50, 60, 70, 80, 90])
    image.save(tmp_path / "p.png", transparency=2)
    rgb = read_image(tmp_path / "p.png")
    assert rgb[0].tolist() == [[10, 20, 30], [40, 50, 60], [0, 0, 0]]


def test_16_bit_greyscale_is_scaled_not_clipped(tmp_path):
    values = np.array([[0, 255, 257 * 100, 32768, 65535]], dtype=np.uint16)
    Image.fromarray(values).save(tmp_path / "deep.png")
    with Image.open(tmp_path / "deep.png") as image:
        assert image.mode == "I;16"
    rgb = read_image(tmp_path / "deep.png")
    assert rgb[0, :, 0].tolist() == [0, 1, 100, 128, 255]
    assert np.array_equal(rgb[..., 0], rgb[..., 2])


def test_32_bit_integer_tiff_is_read_as_16_bit_range(tmp_path):
    values = np.array([[0, 257 * 7, 65535, 70000]], dtype=np.int32)
    Image.fromarray(values).save(tmp_path / "deep.tif")
    rgb = read_image(tmp_path / "deep.tif")
    assert rgb[0, :, 1].tolist() == [0, 7, 255, 255]


def test_cmyk_jpeg_becomes_8_bit_rgb(tmp_path):
    cmyk = Image.new("CMYK", (16, 16), (0, 255, 255, 0))  # no cyan, full magenta and yellow: red
    cmyk.paste((0, 0, 0, 255), (0, 8, 16, 16))  # black lower half
    cmyk.save(tmp_path / "print.jpg", quality=95)
    with Image.open(tmp_path / "print.jpg") as image:
        assert image.mode == "CMYK"
    rgb = read_image(tmp_path / "print.jpg")
    assert rgb.dtype == np.uint8 and rgb.shape == (16, 16, 3)
    assert np.abs(rgb[:6].astype(int) - (255, 0, 0)).max() < 12
    assert rgb[10:].max() < 12


@pytest.mark.parametrize("orientation, quarter_turns", [(6, -1), (8, 1)])
def test_exif_orientation_is_applied(tmp_path, orientation, quarter_turns):
    stored = np.full((32, 64, 3), 255, np.uint8)
    stored[:16, :16] = (255, 0, 0)  # a red corner at the stored top-left
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(stored).save(tmp_path / "phone.jpg", exif=exif, quality=95)
    rgb = read_image(tmp_path / "phone.jpg")
    expected = np.rot90(stored, quarter_turns)  # 6: turn clockwise to show; 8: anticlockwise
    assert rgb.shape == (64, 32, 3)
    assert np.abs(rgb.astype(int) - expected).mean() < 3
    red_corner = rgb[:16, 16:] if orientation == 6 else rgb[48:, :16]
    assert red_corner[..., 1].mean() < 20


def test_unknown_extension_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ImageFileError, match=r"'\.bmp'"):
        write_image(tmp_path / "a.bmp", _pattern())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "bad", [np.zeros((4, 4), np.uint8), np.zeros((4, 4, 4), np.uint8), np.zeros((4, 4, 3))]
)
def test_write_refuses_arrays_that_are_not_uint8_rgb(tmp_path, bad):
    with pytest.raises(ValueError):
        write_image(tmp_path / "a.png", bad)
    assert list(tmp_path.iterdir()) == []


def test_failing_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "photo.png"
    write_image(path, _pattern())
    before = path.read_bytes()

    def fail_half_way(self, handle, *args, **kwargs):
        handle.write(b"\x89PNG partial")
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", fail_half_way)
    with pytest.raises(OSError, match="disk full"):
        write_image(path, _blocks())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["photo.png"]


def test_write_into_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        write_image(tmp_path / "nowhere" / "a.png", _pattern())


def test_written_files_get_normal_permissions(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_UMASK", 0o022)
    target = tmp_path / "out.png"
    write_image(target, np.zeros((4, 4, 3), np.uint8))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    write_image(target, np.zeros((4, 4, 3), np.uint8))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
