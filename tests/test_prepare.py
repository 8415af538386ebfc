"""``prepare celebamask-hq`` on a small fake CelebAMask-HQ tree the test builds."""

from pathlib import Path

import numpy as np
from PIL import Image

from maskgan_studio.cli import main
from maskgan_studio.io import read_image, read_mask
from maskgan_studio.labels import ID
from maskgan_studio.training.prepare import prepare_celebamask_hq


def part(path: Path, box: tuple[int, int, int, int]) -> None:
    """A binary part annotation, 255 inside ``box`` (x0, y0, x1, y1), as CelebAMask-HQ ships them."""
    pixels = np.zeros((512, 512), np.uint8)
    x0, y0, x1, y1 = box
    pixels[y0:y1, x0:x1] = 255
    Image.fromarray(pixels).save(path)


def fake_celebamask(root: Path) -> Path:
    """Faces 0, 1, 2 complete; 3 has a corrupt photo; 4 a corrupt part; 5 parts but no photo."""
    images, anno = root / "CelebA-HQ-img", root / "CelebAMask-HQ-mask-anno" / "0"
    images.mkdir(parents=True)
    anno.mkdir(parents=True)
    for index in range(6):
        part(anno / f"{index:05d}_skin.png", (100, 100, 400, 450))
        part(anno / f"{index:05d}_hair.png", (50 + index, 40, 460, 200))  # painted over skin
        part(anno / f"{index:05d}_l_eye.png", (300, 240, 340, 260))
        if index == 5:
            continue
        checker = (np.indices((1024, 1024)).sum(axis=0) % 2 * 200).astype(np.uint8)  # 1-pixel period
        photo = np.repeat(checker[..., None], 3, axis=2) + np.uint8(10 * index)
        Image.fromarray(photo).save(images / f"{index}.jpg", quality=95)
    (images / "3.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")
    (anno / "00004_hair.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    return root


def test_prepare_writes_masks_images_and_a_seeded_split_and_skips_bad_files(tmp_path, capsys):
    root, out = fake_celebamask(tmp_path / "CelebAMask-HQ"), tmp_path / "prepared"
    assert main(["prepare", "celebamask-hq", "--root", str(root), "--out", str(out), "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    assert "3 faces written, 0 already done, 3 skipped" in captured.out
    assert "3.jpg" in captured.err and "00004_hair.png" in captured.err and "5.jpg: missing photo" in captured.err

    assert sorted(p.name for p in (out / "masks").iterdir()) == ["00000.png", "00001.png", "00002.png"]
    mask = read_mask(out / "masks" / "00001.png")
    assert mask.shape == (512, 512)
    assert mask[300, 200] == ID["skin"] and mask[150, 200] == ID["hair"] and mask[250, 320] == ID["l_eye"]
    assert mask[10, 10] == ID["background"]
    image = read_image(out / "images" / "00001.jpg")
    assert image.shape == (512, 512, 3)
    # an area filter averages each 2x2 block of the 1-pixel checker (nearest would keep 10 or 210)
    original = np.asarray(Image.open(root / "CelebA-HQ-img" / "1.jpg").convert("RGB")).astype(float)
    expected = original.reshape(512, 2, 512, 2, 3).mean(axis=(1, 3))
    assert np.abs(image.astype(float) - expected).mean() < 3 and image.std() < 10

    listed = {name: (out / f"{name}.txt").read_text().split() for name in ("train", "val", "test")}
    assert sorted(sum(listed.values(), [])) == ["00000", "00001", "00002"]
    assert len(listed["val"]) == 1 and len(listed["test"]) == 1
    assert "seeded 90/5/5" in captured.out

    # resumable: a second run finds the finished faces and writes nothing new
    report = prepare_celebamask_hq(root, out)
    assert (report.written, report.already_done, len(report.failures)) == (0, 3, 3)


def test_the_official_split_follows_celeba_through_the_mapping(tmp_path):
    root = fake_celebamask(tmp_path / "CelebAMask-HQ")
    (root / "CelebA-HQ-to-CelebA-mapping.txt").write_text(
        "idx  orig_idx  orig_file\n0  119613  119614.jpg\n1  99094  099095.jpg\n2  200121  200122.jpg\n"
    )
    (root / "list_eval_partition.txt").write_text("099095.jpg 0\n119614.jpg 2\n200122.jpg 1\n000001.jpg 0\n")
    report = prepare_celebamask_hq(root, tmp_path / "out", jobs=1)
    assert report.split_source.startswith("official")
    assert report.split_counts == {"train": 1, "val": 1, "test": 1}
    assert (tmp_path / "out" / "train.txt").read_text() == "00001\n"
    assert (tmp_path / "out" / "val.txt").read_text() == "00002\n"
    assert (tmp_path / "out" / "test.txt").read_text() == "00000\n"


def test_a_folder_that_is_not_celebamask_is_a_one_line_error(tmp_path, capsys):
    assert main(["prepare", "celebamask-hq", "--root", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "not a CelebAMask-HQ folder" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_the_prepared_folder_trains(tmp_path):
    root, out = fake_celebamask(tmp_path / "CelebAMask-HQ"), tmp_path / "prepared"
    prepare_celebamask_hq(root, out)
    from maskgan_studio.training.data import FaceStream, FolderFaces

    item = FaceStream(FolderFaces(out, "train"), 64)[0]
    assert item["image"].shape == (3, 64, 64) and item["mask"].shape == (64, 64)
