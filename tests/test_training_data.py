"""Training data streams: flips swap left and right, ranks share no face, the order is reproducible."""

from pathlib import Path

import numpy as np
import pytest
import torch

from maskgan_studio.io import write_image, write_mask
from maskgan_studio.labels import ID, flip_labels
from maskgan_studio.nets.tensors import tensor_to_image
from maskgan_studio.synth import sample
from maskgan_studio.training.data import FaceStream, FolderFaces, batches


def faces(folder: Path, count: int, size: int = 64) -> FolderFaces:
    (folder / "images").mkdir(parents=True)
    (folder / "masks").mkdir()
    for index in range(count):
        image, mask, _ = sample(index, size)
        write_image(folder / "images" / f"{index:03d}.png", image)
        write_mask(folder / "masks" / f"{index:03d}.png", mask)
    return FolderFaces(folder, "train")


def test_a_flip_mirrors_the_face_and_swaps_left_and_right_classes(tmp_path):
    source = faces(tmp_path / "f", 1)
    image, mask = source.load(0)
    stream = FaceStream(source, 64, seed=1, flip=True)
    kinds = set()
    for k in range(12):
        item = stream[k]
        got_mask, got_image = item["mask"].numpy(), tensor_to_image(item["image"])
        if np.array_equal(got_mask, mask):
            assert np.array_equal(got_image, image)
            kinds.add("as is")
        else:
            assert np.array_equal(got_mask, flip_labels(mask))
            assert np.array_equal(got_image, image[:, ::-1])
            kinds.add("flipped")
    assert kinds == {"as is", "flipped"}
    left_eye_x = np.nonzero(mask == ID["l_eye"])[1].mean()
    flipped = flip_labels(mask)
    # the person's left eye (image right) becomes the right eye, on the image's left
    assert left_eye_x > 32 and np.isclose(np.nonzero(flipped == ID["r_eye"])[1].mean(), 63 - left_eye_x)


def test_ranks_take_disjoint_faces_each_epoch_and_the_stream_is_reproducible(tmp_path):
    source = faces(tmp_path / "f", 6)
    def epoch(rank):
        stream = FaceStream(source, 64, seed=5, rank=rank, world=2, flip=False)
        return [stream._folder_index(k) for k in range(3)]

    rank0, rank1 = epoch(0), epoch(1)
    assert sorted(rank0 + rank1) == list(range(6))
    stream = FaceStream(source, 64, seed=5, flip=False)
    assert [stream._folder_index(k) for k in range(6)] != [stream._folder_index(k) for k in range(6, 12)]


def test_batches_resume_at_a_position_with_or_without_workers():
    stream = FaceStream(None, 64, seed=2, flip=True)
    straight = batches(stream, 2, 0)
    first_three = [next(straight)["mask"] for _ in range(3)]
    resumed = next(batches(stream, 2, 4, workers=1))["mask"]
    assert torch.equal(resumed, first_three[2])
    assert not torch.equal(first_three[0], first_three[1])


def test_restyled_procedural_targets_are_other_masks_drawn_in_the_source_style():
    from maskgan_studio.synth import render
    from maskgan_studio.training.data import derived_seed

    stream = FaceStream(None, 64, seed=3, flip=False, restyle=1.0)
    restyled = 0
    for k in range(6):
        item = stream[k]
        assert set(item) == {"mask", "image", "style_mask", "style_image"}
        _image, source_mask, style = sample(derived_seed(3, 0, k), 64)
        assert np.array_equal(item["style_mask"].numpy(), source_mask)
        target = item["mask"].numpy()
        assert np.array_equal(tensor_to_image(item["image"]), render(target, style))
        restyled += not np.array_equal(target, source_mask)
    assert restyled >= 5  # edits and other faces' masks, not the face itself
    plain = FaceStream(None, 64, seed=3, flip=False)[0]
    assert set(plain) == {"mask", "image"}


def test_a_flip_applies_to_the_style_source_and_the_target_alike():
    stream = FaceStream(None, 64, seed=5, flip=True, restyle=1.0)
    unflipped = FaceStream(None, 64, seed=5, flip=False, restyle=1.0)
    flipped = [k for k in range(8) if not torch.equal(stream[k]["mask"], unflipped[k]["mask"])]
    assert flipped
    k = flipped[0]
    assert np.array_equal(stream[k]["style_mask"].numpy(), flip_labels(unflipped[k]["style_mask"].numpy()))
    assert torch.equal(stream[k]["style_image"], unflipped[k]["style_image"].flip(-1))


@pytest.mark.parametrize("size", [96, 48])
def test_training_feeds_the_network_the_pixels_inference_feeds_it(tmp_path, size):
    """The same face, shrunk (96 -> 64) or grown (48 -> 64): the style encoder sees identical
    tensors in training (the data stream) and in the editor (the engine session)."""
    from engine_support import tiny_model

    from maskgan_studio.engine import EditSession

    source = faces(tmp_path / "f", 1, size=size)
    image, mask = source.load(0)
    item = FaceStream(source, 64, seed=0, flip=False)[0]
    session = EditSession(tiny_model(), device="cpu", compile=False)
    fed = {}
    encode = session._dmn.encode_style

    def spy(label, image_ref):
        fed.update(mask=label.argmax(1)[0].numpy(), image=image_ref[0].clone())
        return encode(label, image_ref)

    session._dmn.encode_style = spy
    session.set_style_source(image, mask)
    assert np.array_equal(fed["mask"], item["mask"].numpy())
    assert torch.equal(fed["image"], item["image"])
