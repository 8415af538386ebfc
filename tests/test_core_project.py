"""Project files and the recovery file: round trips, and broken or foreign files refused whole."""

import json
import zipfile

import numpy as np
import pytest
from app_support import face

from maskgan_studio.core import MaskDocument, ProjectState, RecoveryFile, Stroke, load_project, save_project
from maskgan_studio.errors import InputFileError
from maskgan_studio.labels import ID


@pytest.fixture
def edited():
    document = MaskDocument(*face(48))
    Stroke(document).paint((5, 5), (40, 30), 6, ID["hat"])
    document.set_reference(*face(96, seed=2))
    document.update_settings(feather=3, strength=0.5, paste_back=False, highlight_changes=True, photo_texture=False)
    return document


def assert_same(state: ProjectState, document: MaskDocument):
    assert np.array_equal(state.source_image, document.source_image)
    assert np.array_equal(state.source_mask, document.source_mask)
    assert np.array_equal(state.edited_mask, document.edited_mask)
    assert np.array_equal(state.reference_image, document.reference_image)
    assert np.array_equal(state.reference_mask, document.reference_mask)
    assert state.settings == document.settings


def test_project_round_trip(tmp_path, edited):
    path = tmp_path / "face.maskgan"
    save_project(path, ProjectState.of(edited, {"origin": "somewhere.png"}))
    state = load_project(path)
    assert_same(state, edited)
    assert state.extra == {"origin": "somewhere.png"}
    fresh = MaskDocument(*face(16))
    state.apply_to(fresh)
    assert_same(ProjectState.of(fresh), edited)
    assert not fresh.modified


def test_project_without_reference(tmp_path):
    document = MaskDocument(*face(32))
    save_project(tmp_path / "p.maskgan", ProjectState.of(document))
    assert load_project(tmp_path / "p.maskgan").reference_image is None


def _rewrite(src, dst, drop=(), replace=None):
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            if name in drop:
                continue
            new.writestr(name, (replace or {}).get(name, old.read(name)))


@pytest.mark.parametrize("make, problem", [
    (lambda good, bad: bad.write_bytes(b"not a zip at all"), "not a zip"),
    (lambda good, bad: bad.write_bytes(b""), "not a zip"),
    (lambda good, bad: zipfile.ZipFile(bad, "w").writestr("readme.txt", "hi"), "no project.json"),
    (lambda good, bad: _rewrite(good, bad, replace={"project.json": json.dumps({"format": "other"})}),
     "unknown format"),
    (lambda good, bad: _rewrite(good, bad, replace={"project.json": json.dumps(
        {"format": "maskgan-studio-project", "version": 99})}), "newer"),
    (lambda good, bad: _rewrite(good, bad, replace={"project.json": b"{broken"}), "project.json unreadable"),
    (lambda good, bad: _rewrite(good, bad, drop={"edited_mask.png"}), "edited_mask.png is missing"),
    (lambda good, bad: _rewrite(good, bad, replace={"source.png": b"\x89PNG\r\n\x1a\n garbage"}),
     "cannot decode source.png"),
    (lambda good, bad: bad.write_bytes(good.read_bytes()[:-40]), "not a zip"),
])
def test_broken_or_foreign_projects_are_refused(tmp_path, edited, make, problem):
    good, bad = tmp_path / "good.maskgan", tmp_path / "bad.maskgan"
    save_project(good, ProjectState.of(edited))
    make(good, bad)
    with pytest.raises(InputFileError, match=problem) as caught:
        load_project(bad)
    assert str(bad) in str(caught.value)


def test_project_with_mismatched_sizes_is_refused(tmp_path, edited):
    good, bad = tmp_path / "good.maskgan", tmp_path / "bad.maskgan"
    save_project(good, ProjectState.of(edited))
    other = tmp_path / "other.maskgan"
    save_project(other, ProjectState.of(MaskDocument(*face(20))))
    with zipfile.ZipFile(other) as archive:
        small_mask = archive.read("edited_mask.png")
    _rewrite(good, bad, replace={"edited_mask.png": small_mask})
    with pytest.raises(InputFileError, match="differ in size"):
        load_project(bad)


def test_a_failed_load_leaves_the_document_untouched(tmp_path, edited):
    bad = tmp_path / "bad.maskgan"
    bad.write_bytes(b"junk")
    before = edited.edited_mask.copy()
    with pytest.raises(InputFileError):
        load_project(bad).apply_to(edited)
    assert np.array_equal(edited.edited_mask, before)


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path, edited):
    path = tmp_path / "p.maskgan"
    save_project(path, ProjectState.of(edited))
    save_project(path, ProjectState.of(edited))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.maskgan"]
    with pytest.raises(InputFileError, match="does not exist"):
        save_project(tmp_path / "missing" / "p.maskgan", ProjectState.of(edited))


def test_recovery_file_cycle(tmp_path, edited):
    recovery = RecoveryFile(tmp_path / "rec" / "autosave.maskgan")
    assert not recovery.exists()
    recovery.save(ProjectState.of(edited))
    assert recovery.exists()
    assert_same(recovery.load(), edited)
    recovery.discard()
    assert not recovery.exists()
    recovery.discard()


def test_project_keeps_the_style_per_region_and_the_faces_it_uses(tmp_path):
    from maskgan_studio.core.style_gallery import StyleFace
    from maskgan_studio.core.style_map import GROUPS, StyleMap

    document = MaskDocument(*face(32))
    hair = document.gallery.add(StyleFace.of(*face(40, seed=5), "red hair"))
    lips = document.gallery.add(StyleFace.of(*face(24, seed=6), "dark lips"))
    document.gallery.add(StyleFace.of(*face(24, seed=7), "unused"))
    document.set_style_map(StyleMap().assign(GROUPS["hair"], hair.key).assign(GROUPS["lips"], lips.key))
    save_project(tmp_path / "p.maskgan", ProjectState.of(document))
    with zipfile.ZipFile(tmp_path / "p.maskgan") as archive:
        assert {f"style/{hair.key}.png", f"style/{lips.key}_mask.png"} <= set(archive.namelist())
        assert len([n for n in archive.namelist() if n.startswith("style/")]) == 4
    fresh = MaskDocument(*face(16))
    load_project(tmp_path / "p.maskgan").apply_to(fresh)
    assert fresh.style_map == document.style_map and not fresh.modified
    assert sorted(f.name for f in fresh.gallery.faces) == ["dark lips", "red hair"]
    assert np.array_equal(fresh.gallery[hair.key].image, hair.image)


def test_an_older_project_has_no_style_per_region(tmp_path, edited):
    save_project(tmp_path / "p.maskgan", ProjectState.of(edited))
    _rewrite(tmp_path / "p.maskgan", tmp_path / "old.maskgan")
    state = load_project(tmp_path / "old.maskgan")
    assert not state.style_map and state.style_faces == ()


def test_a_style_map_naming_a_face_the_project_lacks_is_refused(tmp_path):
    from maskgan_studio.core.style_gallery import StyleFace
    from maskgan_studio.core.style_map import GROUPS, StyleMap

    document = MaskDocument(*face(32))
    hair = document.gallery.add(StyleFace.of(*face(40, seed=5), "red hair"))
    document.set_style_map(StyleMap().assign(GROUPS["hair"], hair.key))
    save_project(tmp_path / "p.maskgan", ProjectState.of(document))
    manifest = json.loads(zipfile.ZipFile(tmp_path / "p.maskgan").read("project.json"))
    manifest["style"]["faces"] = {}
    _rewrite(tmp_path / "p.maskgan", tmp_path / "bad.maskgan", replace={"project.json": json.dumps(manifest)})
    with pytest.raises(InputFileError, match="lacks"):
        load_project(tmp_path / "bad.maskgan")
