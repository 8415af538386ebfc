import numpy as np
import pytest
from PIL import Image

from maskgan_studio.io import MaskFileError, merge_parts
from maskgan_studio.io.celebamask import PAINT_ORDER, image_path, part_paths
from maskgan_studio.labels import ID

SIZE = 64


def _part(rows, cols, size=SIZE):
    inside = np.zeros((size, size), bool)
    inside[rows, cols] = True
    return inside


def _save_part(root, index, part, inside, form="L"):
    folder = root / "CelebAMask-HQ-mask-anno" / str(index // 2000)
    folder.mkdir(parents=True, exist_ok=True)
    grey = np.where(inside, 255, 0).astype(np.uint8)
    pixels = np.repeat(grey[..., None], 3, axis=2) if form == "RGB" else grey
    path = folder / f"{index:05d}_{part}.png"
    Image.fromarray(pixels).save(path)
    return path


@pytest.fixture
def face(tmp_path):
    """Index 2001 (folder 1): skin under hair, neck under cloth, one part stored as RGB."""
    index = 2001
    _save_part(tmp_path, index, "skin", _part(slice(10, 50), slice(10, 54)))
    _save_part(tmp_path, index, "hair", _part(slice(0, 20), slice(0, 64)), form="RGB")
    _save_part(tmp_path, index, "neck", _part(slice(45, 64), slice(20, 44)))
    _save_part(tmp_path, index, "cloth", _part(slice(55, 64), slice(0, 64)))
    _save_part(tmp_path, index, "nose", _part(slice(25, 35), slice(28, 36)))
    return tmp_path, index


def test_parts_are_painted_later_over_earlier(face):
    root, index = face
    mask = merge_parts(root, index, size=SIZE)
    assert mask.dtype == np.uint8 and mask.shape == (SIZE, SIZE)
    assert mask[15, 30] == ID["hair"]  # hair over skin
    assert mask[30, 12] == ID["skin"]
    assert mask[30, 30] == ID["nose"]  # nose over skin
    assert mask[48, 30] == ID["neck"]  # neck over skin
    assert mask[60, 30] == ID["cloth"]  # cloth over neck
    assert mask[40, 2] == ID["background"]
    present = ("background", "skin", "nose", "hair", "neck", "cloth")
    assert set(np.unique(mask)) == {ID[name] for name in present}


def test_anno_root_may_be_the_annotation_folder_itself(face):
    root, index = face
    from_anno = merge_parts(root / "CelebAMask-HQ-mask-anno", index, size=SIZE)
    assert np.array_equal(from_anno, merge_parts(root, index, size=SIZE))


def test_dim_values_are_outside_the_part(tmp_path):
    folder = tmp_path / "CelebAMask-HQ-mask-anno" / "0"
    folder.mkdir(parents=True)
    grey = np.zeros((SIZE, SIZE), np.uint8)
    grey[:, :20] = 200
    grey[:, 20:40] = 100
    Image.fromarray(grey).save(folder / "00003_skin.png")
    mask = merge_parts(tmp_path, 3, size=SIZE)
    assert (mask[:, :20] == ID["skin"]).all() and (mask[:, 20:] == 0).all()


def test_parts_of_another_size_are_resized(tmp_path):
    _save_part(tmp_path, 5, "hair", _part(slice(0, 16), slice(0, 32), size=32))
    mask = merge_parts(tmp_path, 5, size=SIZE)
    assert mask.shape == (SIZE, SIZE)
    assert (mask[:32] == ID["hair"]).all() and (mask[32:] == 0).all()


def test_part_paths_follow_the_dataset_layout(tmp_path):
    paths = part_paths(tmp_path, 4321)
    assert tuple(paths) == PAINT_ORDER and len(PAINT_ORDER) == 18
    assert paths["l_eye"] == tmp_path / "CelebAMask-HQ-mask-anno" / "2" / "04321_l_eye.png"
    assert image_path(tmp_path, 4321) == tmp_path / "CelebA-HQ-img" / "4321.jpg"


def test_corrupt_part_is_refused_naming_that_file(face):
    root, index = face
    broken = part_paths(root, index)["neck"]
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(MaskFileError) as caught:
        merge_parts(root, index, size=SIZE)
    assert caught.value.path == str(broken)


def test_index_without_any_part_is_refused(face):
    root, _ = face
    with pytest.raises(MaskFileError, match="no part files for CelebAMask-HQ index 7") as caught:
        merge_parts(root, 7, size=SIZE)
    assert "00007_*.png" in caught.value.path
