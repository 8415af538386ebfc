"""Hand-made projects that no save writes: bad settings, malformed manifests, bombs. Each is
refused whole with one line, before anything large is decompressed."""

import math
import tracemalloc
import zipfile

import pytest
from project_support import declare_entry_size, hand_made_project, png_header

from maskgan_studio.core import RecoveryFile, load_project
from maskgan_studio.errors import InputFileError


@pytest.mark.parametrize("settings, problem", [
    ({"strength": 1e308, "feather": -50}, "setting strength is 1e+308; it must lie between 0 and 1.5"),
    ({"strength": math.nan}, "setting strength must be a finite number"),
    ({"mask_opacity": -3}, "setting mask_opacity is -3"),
    ({"feather": -50}, "setting feather is -50; it must lie between 0 and 64"),
    ([1, 2, 3], "settings must be a table of names and values, got list"),
])
def test_bad_settings_are_refused_in_one_line(tmp_path, settings, problem):
    path = hand_made_project(tmp_path / "bad.maskgan", settings)
    with pytest.raises(InputFileError) as caught:
        load_project(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_a_recovery_file_with_bad_settings_is_refused(tmp_path):
    """The recovery file is read by the same check: it can never start a crash loop."""
    recovery = RecoveryFile(hand_made_project(tmp_path / "autosave.maskgan", {"strength": 1e308}))
    with pytest.raises(InputFileError, match="strength"):
        recovery.load()


def test_an_image_declaring_huge_dimensions_is_refused_before_decoding(tmp_path):
    path = hand_made_project(tmp_path / "bomb.maskgan", replace={"source.png": png_header(60000, 60000)})
    with pytest.raises(InputFileError, match="source.png declares 60000x60000 pixels"):
        load_project(path)


def test_a_mask_of_another_size_is_refused_from_its_header(tmp_path):
    path = hand_made_project(tmp_path / "odd.maskgan", replace={"edited_mask.png": png_header(9000, 9000, 0)})
    with pytest.raises(InputFileError, match="differ in size"):
        load_project(path)


def test_an_entry_declaring_gigabytes_is_refused_before_decompressing(tmp_path):
    """A 3 GiB declared source.png: refused from the zip's directory, with memory to match."""
    path = hand_made_project(tmp_path / "big.maskgan")
    declare_entry_size(path, "source.png", 3 * 2**30)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("source.png").file_size == 3 * 2**30
    tracemalloc.start()
    try:
        with pytest.raises(InputFileError, match="source.png declares 3,072 MiB"):
            load_project(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20


def test_a_string_version_is_called_what_it_is(tmp_path):
    path = hand_made_project(tmp_path / "v.maskgan", manifest={"version": "1"})
    with pytest.raises(InputFileError) as caught:
        load_project(path)
    assert "version '1' is not a project version number" in str(caught.value)
    assert "newer" not in str(caught.value)
