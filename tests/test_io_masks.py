import numpy as np
import pytest
from PIL import Image

from maskgan_studio.io import MaskFileError, read_mask, write_mask
from maskgan_studio.labels import MAX_ID, PALETTE, colorize


def _all_ids(height=19, width=24):
    """Every class id, in horizontal stripes plus a random block so layout errors show."""
    ids = np.repeat(np.arange(19, dtype=np.uint8), width).reshape(19, width)[:height]
    ids[:8, :8] = np.random.default_rng(0).integers(0, 19, (8, 8))
    return ids


def test_write_then_read_round_trips_every_id(tmp_path):
    ids = _all_ids()
    write_mask(tmp_path / "m.png", ids)
    back = read_mask(tmp_path / "m.png")
    assert back.dtype == np.uint8 and back.shape == ids.shape
    assert np.array_equal(back, ids)


def test_written_mask_is_paletted_png_with_the_class_colours(tmp_path):
    write_mask(tmp_path / "m.png", _all_ids())
    with Image.open(tmp_path / "m.png") as image:
        assert (image.format, image.mode) == ("PNG", "P")
        palette = np.array(image.getpalette()[: 3 * 19], np.uint8).reshape(19, 3)
        assert np.array_equal(palette, PALETTE)
        assert np.array_equal(np.asarray(image.convert("RGB")), colorize(_all_ids()))


@pytest.mark.parametrize("dtype", [np.int64, np.uint16, np.int32, bool])
def test_write_accepts_any_integer_dtype(tmp_path, dtype):
    ids = (_all_ids() % 2 if dtype is bool else _all_ids()).astype(dtype)
    write_mask(tmp_path / "m.png", ids)
    assert np.array_equal(read_mask(tmp_path / "m.png"), ids.astype(np.uint8))


@pytest.mark.parametrize("palette", ["grey-ramp", "random"])
def test_palette_png_index_is_the_id_whatever_the_palette(tmp_path, palette):
    ids = _all_ids()
    image = Image.frombytes("P", (ids.shape[1], ids.shape[0]), ids.tobytes())
    if palette == "grey-ramp":
        image.putpalette(np.repeat(np.arange(256, dtype=np.uint8), 3).tobytes())
    else:
        image.putpalette(np.random.default_rng(1).integers(0, 256, 768, dtype=np.uint8).tobytes())
    image.save(tmp_path / "p.png")
    assert np.array_equal(read_mask(tmp_path / "p.png"), ids)


def test_greyscale_values_are_ids(tmp_path):
    Image.fromarray(_all_ids()).save(tmp_path / "g.png")
    assert np.array_equal(read_mask(tmp_path / "g.png"), _all_ids())


def test_rgb_with_equal_channels_is_read_as_ids(tmp_path):
    ids = _all_ids()
    Image.fromarray(np.repeat(ids[..., None], 3, axis=2)).save(tmp_path / "sample.png")
    assert np.array_equal(read_mask(tmp_path / "sample.png"), ids)


def test_colour_png_in_palette_colours_is_read_as_ids(tmp_path):
    ids = _all_ids()
    Image.fromarray(colorize(ids)).save(tmp_path / "colour.png")
    assert np.array_equal(read_mask(tmp_path / "colour.png"), ids)


def test_opaque_rgba_colour_mask_is_accepted(tmp_path):
    ids = _all_ids()
    rgba = np.concatenate([colorize(ids), np.full(ids.shape + (1,), 255, np.uint8)], axis=2)
    Image.fromarray(rgba).save(tmp_path / "rgba.png")
    assert np.array_equal(read_mask(tmp_path / "rgba.png"), ids)


def test_transparent_pixels_are_refused(tmp_path):
    opaque = np.full(_all_ids().shape + (1,), 255, np.uint8)
    rgba = np.concatenate([colorize(_all_ids()), opaque], axis=2)
    rgba[0, :3, 3] = 0
    Image.fromarray(rgba).save(tmp_path / "rgba.png")
    with pytest.raises(MaskFileError, match="3 pixels .* transparent"):
        read_mask(tmp_path / "rgba.png")


def test_16_bit_greyscale_with_ids_is_accepted(tmp_path):
    ids = _all_ids()
    Image.fromarray(ids.astype(np.uint16)).save(tmp_path / "deep.png")
    with Image.open(tmp_path / "deep.png") as image:
        assert image.mode == "I;16"
    assert np.array_equal(read_mask(tmp_path / "deep.png"), ids)


def test_16_bit_greyscale_above_18_is_refused(tmp_path):
    values = _all_ids().astype(np.uint16)
    values[0, :4] = 300
    Image.fromarray(values).save(tmp_path / "deep.png")
    with pytest.raises(MaskFileError, match=r"300 \(4 px\)"):
        read_mask(tmp_path / "deep.png")


@pytest.mark.parametrize("form", ["greyscale", "palette", "rgb-grey"])
def test_ids_above_18_are_refused_naming_values_and_counts(tmp_path, form):
    ids = _all_ids()
    ids[0, :5] = 19
    ids[1, :2] = 255
    path = tmp_path / "bad.png"
    if form == "greyscale":
        Image.fromarray(ids).save(path)
    elif form == "palette":
        image = Image.frombytes("P", (ids.shape[1], ids.shape[0]), ids.tobytes())
        image.putpalette(np.repeat(np.arange(256, dtype=np.uint8), 3).tobytes())
        image.save(path)
    else:
        Image.fromarray(np.repeat(ids[..., None], 3, axis=2)).save(path)
    with pytest.raises(MaskFileError) as caught:
        read_mask(path)
    assert caught.value.path == str(path)
    assert f"0..{MAX_ID}" in caught.value.problem
    assert "19 (5 px)" in caught.value.problem and "255 (2 px)" in caught.value.problem


def test_colours_outside_the_palette_are_refused_naming_them(tmp_path):
    rgb = colorize(_all_ids())
    rgb[0, :6] = (1, 2, 3)
    rgb[1, :2] = (250, 250, 250)
    Image.fromarray(rgb).save(tmp_path / "colour.png")
    with pytest.raises(MaskFileError) as caught:
        read_mask(tmp_path / "colour.png")
    assert "2 colours are not class colours" in caught.value.problem
    assert "RGB(1, 2, 3) (6 px)" in caught.value.problem
    assert "RGB(250, 250, 250) (2 px)" in caught.value.problem


def test_many_unknown_colours_are_summarised(tmp_path):
    rgb = np.random.default_rng(2).integers(0, 256, (16, 16, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "photo.png")
    with pytest.raises(MaskFileError, match=r"more$") as caught:
        read_mask(tmp_path / "photo.png")
    assert caught.value.problem.count("RGB(") == 5


def test_jpeg_mask_is_refused(tmp_path):
    Image.fromarray(_all_ids()).save(tmp_path / "m.jpg")
    with pytest.raises(MaskFileError, match="JPEG"):
        read_mask(tmp_path / "m.jpg")


def test_other_modes_are_refused(tmp_path):
    Image.new("CMYK", (4, 4)).save(tmp_path / "m.tif")
    with pytest.raises(MaskFileError, match="CMYK image is not a mask"):
        read_mask(tmp_path / "m.tif")


@pytest.mark.parametrize(
    "bad",
    [
        np.full((4, 4), 19),
        np.full((4, 4), -1),
        np.zeros((4, 4, 3), np.uint8),
        np.zeros(4, np.uint8),
        np.zeros((4, 4)),
    ],
)
def test_write_refuses_what_is_not_a_mask_and_writes_nothing(tmp_path, bad):
    with pytest.raises(ValueError):
        write_mask(tmp_path / "m.png", bad)
    assert list(tmp_path.iterdir()) == []


def test_failing_write_keeps_the_old_mask_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "mask.png"
    write_mask(path, _all_ids())
    before = path.read_bytes()

    def fail_half_way(self, handle, *args, **kwargs):
        handle.write(b"\x89PNG partial")
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", fail_half_way)
    with pytest.raises(OSError, match="disk full"):
        write_mask(path, np.zeros((4, 4), np.uint8))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["mask.png"]
