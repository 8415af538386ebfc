"""Every reader refuses every unreadable file with an InputFileError naming the file."""

import os

import numpy as np
import pytest
from PIL import Image, ImageFile

from maskgan_studio.errors import InputFileError
from maskgan_studio.io import ImageFileError, MaskFileError, read_image, read_mask


def _noise_png(path):
    pixels = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)


def _missing(tmp_path):
    return tmp_path / "missing.png"


def _zero_bytes(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    return path


def _text_named_png(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture\n")
    return path


def _truncated_png(tmp_path):
    path = tmp_path / "cut.png"
    _noise_png(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    return path


def _truncated_jpeg(tmp_path):
    path = tmp_path / "cut.jpg"
    pixels = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path, quality=95)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _folder(tmp_path):
    path = tmp_path / "folder.png"
    path.mkdir()
    return path


CASES = {
    "missing": (_missing, "not found"),
    "zero-byte": (_zero_bytes, "empty file"),
    "text-named-png": (_text_named_png, "not an image"),
    "truncated-png": (_truncated_png, "truncated"),
    "truncated-jpeg": (_truncated_jpeg, "truncated"),
    "folder": (_folder, "folder"),
}
READERS = {"read_image": (read_image, ImageFileError), "read_mask": (read_mask, MaskFileError)}


@pytest.mark.parametrize("reader_name", READERS)
@pytest.mark.parametrize("case", CASES)
def test_unreadable_file_is_refused_with_its_name(tmp_path, reader_name, case):
    make, problem = CASES[case]
    reader, error_type = READERS[reader_name]
    path = make(tmp_path)
    with pytest.raises(error_type) as caught:
        reader(path)
    assert isinstance(caught.value, InputFileError)
    assert caught.value.path == str(path)
    assert problem in caught.value.problem
    assert "\n" not in str(caught.value) and str(caught.value).startswith(str(path))


@pytest.mark.parametrize("reader_name", READERS)
def test_permission_denied_is_refused(tmp_path, reader_name, monkeypatch):
    reader, error_type = READERS[reader_name]
    path = tmp_path / "locked.png"
    _noise_png(path)
    if os.geteuid() == 0:  # root reads anything: simulate the refusal the kernel would give
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(Image, "open", refuse)
    else:
        path.chmod(0)
    with pytest.raises(error_type, match="permission denied"):
        reader(path)


def test_truncated_png_is_refused_without_relying_on_a_global_flag(tmp_path):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # io must never switch silent padding on
    with pytest.raises(ImageFileError, match="truncated"):
        read_image(_truncated_png(tmp_path))
